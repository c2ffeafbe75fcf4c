/*
 * stage_model.c - compiled stage models: building, the serialised form,
 * moves, and stage derivation over a timeline.
 */
#include <string.h>

#include "stage_model.h"

const char *
cdm_sm_error_text(CdmSmError e)
{
	switch (e)
	{
		case CDM_SM_OK:
			return "ok";
		case CDM_SM_BAD_NAME:
			return "a name must be lower-case letters, digits and _, starting with a letter, at most 63 characters";
		case CDM_SM_DUP_STAGE:
			return "a stage is named twice";
		case CDM_SM_TOO_MANY:
			return "too many entries (at most 32 stages, 256 mapped milestones, 64 reactivated_by or activity milestones)";
		case CDM_SM_UNKNOWN_STAGE:
			return "unknown stage";
		case CDM_SM_SELF_EDGE:
			return "a transition from a stage to itself";
		case CDM_SM_DUP_EDGE:
			return "a move declared both as a transition and as a reactivation";
		case CDM_SM_BAD_MILESTONE:
			return "a milestone id must be positive";
		case CDM_SM_DUP_MILESTONE:
			return "a milestone is listed twice";
		case CDM_SM_BAD_LAPSE:
			return "the lapse rule needs a positive interval and two different stages";
		case CDM_SM_NO_STAGES:
			return "a model needs at least one stage";
		case CDM_SM_CORRUPT:
			return "the compiled program is corrupt";
	}
	return "unknown error";
}

bool
cdm_sm_valid_name(const char *s, size_t len)
{
	if (len == 0 || len > CDM_STAGE_NAME_MAX || s[0] < 'a' || s[0] > 'z')
		return false;
	for (size_t i = 1; i < len; i++)
	{
		char		c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
			return false;
	}
	return true;
}

void
cdm_sm_init(CdmStageModel *m)
{
	memset(m, 0, sizeof(*m));
}

static bool
stage_ok(const CdmStageModel *m, int s)
{
	return s >= 0 && s < m->nstages;
}

CdmSmError
cdm_sm_add_stage(CdmStageModel *m, const char *name, size_t len)
{
	if (!cdm_sm_valid_name(name, len))
		return CDM_SM_BAD_NAME;
	if (cdm_sm_stage_index(m, name, len) >= 0)
		return CDM_SM_DUP_STAGE;
	if (m->nstages >= CDM_STAGE_MAX)
		return CDM_SM_TOO_MANY;
	memcpy(m->name[m->nstages], name, len);
	m->name[m->nstages][len] = '\0';
	m->nstages++;
	return CDM_SM_OK;
}

CdmSmError
cdm_sm_set_initial(CdmStageModel *m, int stage)
{
	if (!stage_ok(m, stage))
		return CDM_SM_UNKNOWN_STAGE;
	m->initial = stage;
	return CDM_SM_OK;
}

CdmSmError
cdm_sm_add_edge(CdmStageModel *m, int from, int to, bool reactivation)
{
	uint32_t	bit;

	if (!stage_ok(m, from) || !stage_ok(m, to))
		return CDM_SM_UNKNOWN_STAGE;
	if (from == to)
		return CDM_SM_SELF_EDGE;
	bit = UINT32_C(1) << to;
	if ((reactivation ? m->next[from] : m->react[from]) & bit)
		return CDM_SM_DUP_EDGE;
	if (reactivation)
		m->react[from] |= bit;
	else
		m->next[from] |= bit;
	return CDM_SM_OK;
}

static bool
id_listed(const int32_t *ids, int n, int32_t id)
{
	for (int i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

int
cdm_sm_milestone_stage(const CdmStageModel *m, int32_t milestone)
{
	for (int i = 0; i < m->nmap; i++)
		if (m->map[i].milestone == milestone)
			return m->map[i].stage;
	return -1;
}

CdmSmError
cdm_sm_map_milestone(CdmStageModel *m, int32_t milestone, int stage)
{
	if (milestone <= 0)
		return CDM_SM_BAD_MILESTONE;
	if (!stage_ok(m, stage))
		return CDM_SM_UNKNOWN_STAGE;
	if (cdm_sm_milestone_stage(m, milestone) >= 0)
		return CDM_SM_DUP_MILESTONE;
	if (m->nmap >= CDM_STAGE_MAX_MAPPED)
		return CDM_SM_TOO_MANY;
	m->map[m->nmap].milestone = milestone;
	m->map[m->nmap].stage = stage;
	m->nmap++;
	return CDM_SM_OK;
}

static CdmSmError
add_id(int32_t *ids, int *n, int32_t id)
{
	if (id <= 0)
		return CDM_SM_BAD_MILESTONE;
	if (id_listed(ids, *n, id))
		return CDM_SM_DUP_MILESTONE;
	if (*n >= CDM_STAGE_MAX_IDS)
		return CDM_SM_TOO_MANY;
	ids[(*n)++] = id;
	return CDM_SM_OK;
}

CdmSmError
cdm_sm_add_reactivated_by(CdmStageModel *m, int32_t milestone)
{
	return add_id(m->react_by, &m->nreact_by, milestone);
}

CdmSmError
cdm_sm_add_activity(CdmStageModel *m, int32_t milestone)
{
	return add_id(m->activity, &m->nactivity, milestone);
}

CdmSmError
cdm_sm_set_lapse(CdmStageModel *m, int64_t after, int from, int to)
{
	if (!stage_ok(m, from) || !stage_ok(m, to))
		return CDM_SM_UNKNOWN_STAGE;
	if (m->has_lapse || after <= 0 || from == to)
		return CDM_SM_BAD_LAPSE;
	m->has_lapse = true;
	m->lapse_after = after;
	m->lapse_from = from;
	m->lapse_to = to;
	return CDM_SM_OK;
}

CdmSmError
cdm_sm_finish(CdmStageModel *m)
{
	int			n = m->nstages;

	if (n == 0)
		return CDM_SM_NO_STAGES;
	if (m->nactivity > 0 && !m->has_lapse)
		return CDM_SM_BAD_LAPSE;
	/* transitive closure of the normal transitions (Warshall on bit rows) */
	for (int i = 0; i < n; i++)
		m->reach[i] = m->next[i];
	for (int k = 0; k < n; k++)
		for (int i = 0; i < n; i++)
			if (m->reach[i] & (UINT32_C(1) << k))
				m->reach[i] |= m->reach[k];
	return CDM_SM_OK;
}

int
cdm_sm_stage_index(const CdmStageModel *m, const char *name, size_t len)
{
	for (int i = 0; i < m->nstages; i++)
		if (strlen(m->name[i]) == len && memcmp(m->name[i], name, len) == 0)
			return i;
	return -1;
}

CdmStageMove
cdm_sm_move(const CdmStageModel *m, int from, int to)
{
	uint32_t	bit;

	if (!stage_ok(m, from) || !stage_ok(m, to))
		return CDM_MOVE_NONE;
	if (from == to)
		return CDM_MOVE_SAME;
	bit = UINT32_C(1) << to;
	if (m->next[from] & bit)
		return CDM_MOVE_TRANSITION;
	if (m->react[from] & bit)
		return CDM_MOVE_REACTIVATION;
	if (m->reach[from] & bit)
		return CDM_MOVE_REACHABLE;
	return CDM_MOVE_NONE;
}

/* ------------------------------------------------------------ serialised form
 *
 * Little-endian throughout, so a program is portable across machines:
 *   "CDSM" version:u8 nstages:u8 initial:u8
 *   nstages x (len:u8 name)
 *   nstages x (next:u32 react:u32)
 *   nmap:u16      nmap x (milestone:i32 stage:u8)
 *   nreact_by:u8  nreact_by x milestone:i32
 *   has_lapse:u8  [after:i64 from:u8 to:u8 nactivity:u8 nactivity x milestone:i32]
 * and nothing after.
 */

typedef struct Writer
{
	uint8_t    *buf;
	size_t		cap;
	size_t		len;
} Writer;

static void
put_bytes(Writer *w, const void *p, size_t n)
{
	if (w->len + n <= w->cap)
		memcpy(w->buf + w->len, p, n);
	w->len += n;
}

static void
put_uint(Writer *w, uint64_t v, int bytes)
{
	uint8_t		b[8];

	for (int i = 0; i < bytes; i++)
		b[i] = (uint8_t) (v >> (8 * i));
	put_bytes(w, b, (size_t) bytes);
}

size_t
cdm_sm_serialise(const CdmStageModel *m, uint8_t *buf, size_t cap)
{
	Writer		w = {buf, cap, 0};

	put_bytes(&w, "CDSM", 4);
	put_uint(&w, CDM_STAGE_PROGRAM_VERSION, 1);
	put_uint(&w, (uint64_t) m->nstages, 1);
	put_uint(&w, (uint64_t) m->initial, 1);
	for (int i = 0; i < m->nstages; i++)
	{
		size_t		len = strlen(m->name[i]);

		put_uint(&w, len, 1);
		put_bytes(&w, m->name[i], len);
	}
	for (int i = 0; i < m->nstages; i++)
	{
		put_uint(&w, m->next[i], 4);
		put_uint(&w, m->react[i], 4);
	}
	put_uint(&w, (uint64_t) m->nmap, 2);
	for (int i = 0; i < m->nmap; i++)
	{
		put_uint(&w, (uint32_t) m->map[i].milestone, 4);
		put_uint(&w, (uint64_t) m->map[i].stage, 1);
	}
	put_uint(&w, (uint64_t) m->nreact_by, 1);
	for (int i = 0; i < m->nreact_by; i++)
		put_uint(&w, (uint32_t) m->react_by[i], 4);
	put_uint(&w, m->has_lapse ? 1 : 0, 1);
	if (m->has_lapse)
	{
		put_uint(&w, (uint64_t) m->lapse_after, 8);
		put_uint(&w, (uint64_t) m->lapse_from, 1);
		put_uint(&w, (uint64_t) m->lapse_to, 1);
		put_uint(&w, (uint64_t) m->nactivity, 1);
		for (int i = 0; i < m->nactivity; i++)
			put_uint(&w, (uint32_t) m->activity[i], 4);
	}
	return w.len;
}

typedef struct Reader
{
	const uint8_t *buf;
	size_t		len;
	size_t		pos;
	bool		bad;
} Reader;

static uint64_t
get_uint(Reader *r, int bytes)
{
	uint64_t	v = 0;

	if (r->bad || r->len - r->pos < (size_t) bytes)
	{
		r->bad = true;
		return 0;
	}
	for (int i = 0; i < bytes; i++)
		v |= (uint64_t) r->buf[r->pos + i] << (8 * i);
	r->pos += (size_t) bytes;
	return v;
}

static int32_t
get_i32(Reader *r)
{
	uint32_t	u = (uint32_t) get_uint(r, 4);
	int32_t		v;

	memcpy(&v, &u, sizeof(v));
	return v;
}

/* Apply one decoded edge row through the checking builder. */
static CdmSmError
load_edges(CdmStageModel *m, int from, uint32_t mask, bool reactivation)
{
	if (m->nstages < 32 && (mask >> m->nstages) != 0)
		return CDM_SM_CORRUPT;
	for (int to = 0; to < m->nstages; to++)
	{
		if (mask & (UINT32_C(1) << to))
		{
			CdmSmError	e = cdm_sm_add_edge(m, from, to, reactivation);

			if (e != CDM_SM_OK)
				return e;
		}
	}
	return CDM_SM_OK;
}

#define TRY(expr) do { CdmSmError e_ = (expr); if (e_ != CDM_SM_OK || r.bad) return CDM_SM_CORRUPT; } while (0)

CdmSmError
cdm_sm_load(CdmStageModel *m, const uint8_t *buf, size_t len)
{
	Reader		r = {buf, len, 0, false};
	int			nstages,
				initial,
				n;

	cdm_sm_init(m);
	if (len < 7 || memcmp(buf, "CDSM", 4) != 0 || buf[4] != CDM_STAGE_PROGRAM_VERSION)
		return CDM_SM_CORRUPT;
	r.pos = 5;
	nstages = (int) get_uint(&r, 1);
	initial = (int) get_uint(&r, 1);
	for (int i = 0; i < nstages; i++)
	{
		size_t		nl = (size_t) get_uint(&r, 1);

		if (r.bad || r.len - r.pos < nl)
			return CDM_SM_CORRUPT;
		TRY(cdm_sm_add_stage(m, (const char *) buf + r.pos, nl));
		r.pos += nl;
	}
	TRY(cdm_sm_set_initial(m, initial));
	for (int i = 0; i < nstages; i++)
	{
		uint32_t	next = (uint32_t) get_uint(&r, 4);
		uint32_t	react = (uint32_t) get_uint(&r, 4);

		TRY(load_edges(m, i, next, false));
		TRY(load_edges(m, i, react, true));
	}
	n = (int) get_uint(&r, 2);
	for (int i = 0; i < n && !r.bad; i++)
	{
		int32_t		id = get_i32(&r);

		TRY(cdm_sm_map_milestone(m, id, (int) get_uint(&r, 1)));
	}
	n = (int) get_uint(&r, 1);
	for (int i = 0; i < n && !r.bad; i++)
		TRY(cdm_sm_add_reactivated_by(m, get_i32(&r)));
	if (get_uint(&r, 1) != 0)
	{
		int64_t		after;
		uint64_t	u = get_uint(&r, 8);
		int			from,
					to;

		memcpy(&after, &u, sizeof(after));
		from = (int) get_uint(&r, 1);
		to = (int) get_uint(&r, 1);
		TRY(cdm_sm_set_lapse(m, after, from, to));
		n = (int) get_uint(&r, 1);
		for (int i = 0; i < n && !r.bad; i++)
			TRY(cdm_sm_add_activity(m, get_i32(&r)));
	}
	if (r.bad || r.pos != r.len)
		return CDM_SM_CORRUPT;
	TRY(cdm_sm_finish(m));
	return CDM_SM_OK;
}

/* ------------------------------------------------------------------ derivation */

const char *
cdm_step_kind_name(CdmStepKind k)
{
	switch (k)
	{
		case CDM_STEP_TAKE:
			return "transition";
		case CDM_STEP_SKIP:
			return "skip";
		case CDM_STEP_REACTIVATE:
			return "reactivation";
		case CDM_STEP_LAPSE:
			return "lapse";
		case CDM_STEP_RETURN:
			return "return";
		case CDM_STEP_SAME:
			return "ignored: already in stage";
		case CDM_STEP_NEEDS_REACTIVATION:
			return "ignored: needs a reactivation";
		case CDM_STEP_NOT_ALLOWED:
			return "ignored: not allowed";
	}
	return "?";
}

typedef struct Walk
{
	const CdmStageModel *m;
	int			stage;
	int64_t		entered;
	bool		has_activity;
	int64_t		last_activity;
	CdmStageStep *log;
	size_t		logcap;
	size_t		nlog;
} Walk;

static void
log_step(Walk *w, CdmStepKind kind, int32_t milestone, int64_t at, int64_t since,
		 int from, int to, int target)
{
	if (w->log && w->nlog < w->logcap)
	{
		CdmStageStep *s = &w->log[w->nlog];

		s->kind = kind;
		s->milestone = milestone;
		s->at = at;
		s->since = since;
		s->from = from;
		s->to = to;
		s->target = target;
	}
	w->nlog++;
}

/* Move to a stage at a time; the clock never runs backwards. */
static void
enter(Walk *w, int stage, int64_t at)
{
	w->stage = stage;
	if (at > w->entered)
		w->entered = at;
}

/*
 * The lapse rule, checked at time t: in lapse.from with the last activity
 * (or the entry into lapse.from, whichever is later) more than lapse.after
 * before t, the entity lapsed at that reference + after.
 */
static void
check_lapse(Walk *w, int64_t t)
{
	const CdmStageModel *m = w->m;
	int64_t		ref;

	if (!m->has_lapse || w->stage != m->lapse_from)
		return;
	ref = w->entered;
	if (w->has_activity && w->last_activity > ref)
		ref = w->last_activity;
	/* t - ref in unsigned arithmetic cannot overflow once t > ref */
	if (t > ref && (uint64_t) t - (uint64_t) ref > (uint64_t) m->lapse_after)
	{
		int64_t		at = ref + m->lapse_after;	/* < t: no overflow */

		log_step(w, CDM_STEP_LAPSE, 0, at, ref, w->stage, m->lapse_to, m->lapse_to);
		w->stage = m->lapse_to;
		w->entered = at;
	}
}

static bool
is_reactivated_by(const CdmStageModel *m, int32_t milestone)
{
	return id_listed(m->react_by, m->nreact_by, milestone);
}

/* A mapped milestone: move to its stage when the model lets it. */
static void
mapped_event(Walk *w, int32_t milestone, int64_t at, int target)
{
	int			from = w->stage;
	CdmStepKind kind;

	switch (cdm_sm_move(w->m, from, target))
	{
		case CDM_MOVE_SAME:
			kind = CDM_STEP_SAME;
			break;
		case CDM_MOVE_TRANSITION:
			kind = CDM_STEP_TAKE;
			break;
		case CDM_MOVE_REACHABLE:
			kind = CDM_STEP_SKIP;
			break;
		case CDM_MOVE_REACTIVATION:
			kind = is_reactivated_by(w->m, milestone) ? CDM_STEP_REACTIVATE
				: CDM_STEP_NEEDS_REACTIVATION;
			break;
		default:
			kind = CDM_STEP_NOT_ALLOWED;
			break;
	}
	if (kind == CDM_STEP_TAKE || kind == CDM_STEP_SKIP || kind == CDM_STEP_REACTIVATE)
	{
		enter(w, target, at);
		log_step(w, kind, milestone, w->entered, 0, from, target, target);
	}
	else
		log_step(w, kind, milestone, at, 0, from, from, target);
}

/* The lowest-ranked reactivation target of a stage, or -1. */
static int
reactivation_target(const CdmStageModel *m, int stage)
{
	for (int to = 0; to < m->nstages; to++)
		if (m->react[stage] & (UINT32_C(1) << to))
			return to;
	return -1;
}

static void
apply_event(Walk *w, const CdmEvent *ev)
{
	const CdmStageModel *m = w->m;
	int			target;

	if (m->has_lapse && id_listed(m->activity, m->nactivity, ev->milestone))
	{
		w->has_activity = true;
		w->last_activity = ev->at;
		if (w->stage == m->lapse_to &&
			cdm_sm_move(m, m->lapse_to, m->lapse_from) == CDM_MOVE_TRANSITION)
		{
			enter(w, m->lapse_from, ev->at);
			log_step(w, CDM_STEP_RETURN, ev->milestone, w->entered, 0,
					 m->lapse_to, m->lapse_from, m->lapse_from);
		}
	}
	target = cdm_sm_milestone_stage(m, ev->milestone);
	if (target >= 0)
		mapped_event(w, ev->milestone, ev->at, target);
	else if (is_reactivated_by(m, ev->milestone) &&
			 (target = reactivation_target(m, w->stage)) >= 0)
	{
		int			from = w->stage;

		enter(w, target, ev->at);
		log_step(w, CDM_STEP_REACTIVATE, ev->milestone, w->entered, 0, from, target, target);
	}
}

bool
cdm_sm_derive(const CdmStageModel *m, const void *events, size_t n,
			  int64_t as_of, int32_t scope, int64_t born,
			  CdmStageState *out,
			  CdmStageStep *log, size_t logcap, size_t *nlog)
{
	Walk		w = {m, m->initial, born, false, 0, log, logcap, 0};
	const unsigned char *p = events;

	if (nlog)
		*nlog = 0;
	if (born > as_of)
		return false;
	for (size_t i = 0; i < n; i++)
	{
		CdmEvent	ev;

		if (i % CDM_INTERRUPT_STRIDE == CDM_INTERRUPT_STRIDE - 1)
			CDM_CHECK_INTERRUPTS();
		memcpy(&ev, p + i * sizeof(CdmEvent), sizeof(CdmEvent));
		/* sorted by time: nothing later counts */
		if (ev.at > as_of)
			break;
		if (!cdm_event_in_scope(ev.scope, scope))
			continue;
		check_lapse(&w, ev.at);
		apply_event(&w, &ev);
	}
	check_lapse(&w, as_of);
	out->stage = w.stage;
	out->entered = w.entered;
	if (nlog)
		*nlog = w.nlog;
	return true;
}
