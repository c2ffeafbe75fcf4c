/*
 * fuzz_stage_model.c - lifecycle/: the stage model program (cdm_sm_load
 * must refuse corrupt bytes: every reader loads the stored bytea) and
 * stage derivation over a timeline (cdm_sm_derive).
 *
 * Input: option byte (bit 0: build the model through the cdm_sm_* calls
 * from the first part, which reaches valid models far more often than
 * raw bytes do; else the first part is the program itself), then the
 * model, then events (16 bytes each), then as_of, born and scope (8, 8
 * and 4 bytes).
 *
 * Invariants:
 *   - a program that loads serialises back to the very same bytes (the
 *     form is canonical), and a model built by the calls serialises to a
 *     program that loads and serialises the same again;
 *   - derivation: false exactly when born > as_of; the stage is one of
 *     the model's, entered in [born, as_of]; the same answer with and
 *     without a log, with a short log (no write past it), and read from
 *     an unaligned copy of the events; at most 3 steps an event plus 1;
 *     replaying the log from the initial stage moves only along edges of
 *     the right kind and ends in the stage and time returned.
 */
#include "fuzz.h"

#include "stage_model.h"
#include "timeline.h"

static int64_t
get_i64(const char *p, size_t len, size_t off)
{
	int64_t		v = 0;

	if (off + 8 <= len)
		memcpy(&v, p + off, 8);
	return v;
}

/* A model from bytes, through the checking builder. */
static CdmSmError
build(CdmStageModel *m, const uint8_t *p, size_t len)
{
	static const char *const names[] = {
		"prospect", "lead", "customer", "active", "lapsed", "churned", "vip", "x",
		"a_1", "b2", "c", "d", "e", "f", "g", "h"
	};
	size_t		i = 0;
	int			nst;

	cdm_sm_init(m);
	if (len == 0)
		return cdm_sm_finish(m);
	nst = 1 + p[i++] % 16;
	for (int s = 0; s < nst; s++)
		(void) cdm_sm_add_stage(m, names[s], strlen(names[s]));
	while (i + 3 <= len)
	{
		uint8_t		op = p[i],
					x = p[i + 1],
					y = p[i + 2];

		i += 3;
		switch (op % 8)
		{
			case 0:
			case 1:
				(void) cdm_sm_add_edge(m, x % 17, y % 17, op % 8 == 1);
				break;
			case 2:
				(void) cdm_sm_map_milestone(m, (int8_t) x, y % 17);
				break;
			case 3:
				(void) cdm_sm_add_reactivated_by(m, (int8_t) x);
				break;
			case 4:
				(void) cdm_sm_set_lapse(m, (int64_t) (int8_t) x * 1000 * (y + 1), x % 17, y % 17);
				break;
			case 5:
				(void) cdm_sm_add_activity(m, (int8_t) y);
				break;
			case 6:
				(void) cdm_sm_set_initial(m, x % 17);
				break;
			default:
				(void) cdm_sm_add_stage(m, (const char *) p + i - 2, 2);
				break;
		}
	}
	return cdm_sm_finish(m);
}

static uint8_t *
serialise(const CdmStageModel *m, size_t *len)
{
	size_t		need = cdm_sm_serialise(m, NULL, 0);
	uint8_t    *buf = fuzz_work(need, false);
	uint8_t    *small = fuzz_work(need / 2, false);

	FUZZ_CHECK(cdm_sm_serialise(m, buf, need) == need, "serialise length changes");
	FUZZ_CHECK(cdm_sm_serialise(m, small, need / 2) == need, "serialise into a short buffer");
	free(small);
	*len = need;
	return buf;
}

static bool
is_move(CdmStepKind k)
{
	return k == CDM_STEP_TAKE || k == CDM_STEP_SKIP || k == CDM_STEP_REACTIVATE ||
		k == CDM_STEP_LAPSE || k == CDM_STEP_RETURN;
}

static void
check_derive(const CdmStageModel *m, const CdmEvent *ev, size_t n, int64_t as_of,
			 int32_t scope, int64_t born)
{
	CdmStageState st,
				st2;
	size_t		cap = 3 * n + 1;
	CdmStageStep *log = malloc(cap * sizeof(CdmStageStep));
	CdmStageStep *few = fuzz_work((cap / 3) * sizeof(CdmStageStep), false);
	unsigned char *odd = malloc(n * sizeof(CdmEvent) + 1);
	size_t		nlog = 12345,
				nlog2;
	bool		ok = cdm_sm_derive(m, ev, n, as_of, scope, born, &st, log, cap, &nlog);
	int			cur;
	int64_t		entered;

	FUZZ_CHECK(ok == (born <= as_of), "derive %d with born %lld, as_of %lld", (int) ok,
			   (long long) born, (long long) as_of);
	if (!ok)
	{
		FUZZ_CHECK(nlog == 0, "no state, yet %zu steps", nlog);
		goto done;
	}
	FUZZ_CHECK(st.stage >= 0 && st.stage < m->nstages, "stage %d of %d", st.stage, m->nstages);
	FUZZ_CHECK(st.entered >= born && st.entered <= as_of, "entered %lld outside [%lld, %lld]",
			   (long long) st.entered, (long long) born, (long long) as_of);
	FUZZ_CHECK(nlog <= cap, "%zu steps for %zu events", nlog, n);

	FUZZ_CHECK(cdm_sm_derive(m, ev, n, as_of, scope, born, &st2, NULL, 0, NULL) &&
			   st2.stage == st.stage && st2.entered == st.entered, "derive differs without a log");
	FUZZ_CHECK(cdm_sm_derive(m, ev, n, as_of, scope, born, &st2, few, cap / 3, &nlog2) &&
			   st2.stage == st.stage && nlog2 == nlog, "derive differs with a short log");
	memcpy(odd + 1, ev, n * sizeof(CdmEvent));
	FUZZ_CHECK(cdm_sm_derive(m, odd + 1, n, as_of, scope, born, &st2, NULL, 0, NULL) &&
			   st2.stage == st.stage && st2.entered == st.entered, "derive differs unaligned");

	/* replay */
	cur = m->initial;
	entered = born;
	for (size_t i = 0; i < nlog; i++)
	{
		const CdmStageStep *s = &log[i];

		FUZZ_CHECK(s->from == cur, "step %zu (%s) from %d, current %d", i,
				   cdm_step_kind_name(s->kind), s->from, cur);
		if (!is_move(s->kind))
		{
			FUZZ_CHECK(s->to == s->from && s->target >= 0 && s->target < m->nstages,
					   "ignored step %zu moves", i);
			continue;
		}
		FUZZ_CHECK(s->to >= 0 && s->to < m->nstages && s->to == s->target, "step %zu to %d", i, s->to);
		switch (s->kind)
		{
			case CDM_STEP_TAKE:
				FUZZ_CHECK(cdm_sm_move(m, s->from, s->to) == CDM_MOVE_TRANSITION, "take, not a transition");
				break;
			case CDM_STEP_SKIP:
				FUZZ_CHECK(cdm_sm_move(m, s->from, s->to) == CDM_MOVE_REACHABLE, "skip, not reachable");
				break;
			case CDM_STEP_REACTIVATE:
				FUZZ_CHECK(cdm_sm_move(m, s->from, s->to) == CDM_MOVE_REACTIVATION,
						   "reactivation along no reactivation edge");
				break;
			case CDM_STEP_LAPSE:
				FUZZ_CHECK(m->has_lapse && s->from == m->lapse_from && s->to == m->lapse_to,
						   "lapse off the lapse rule");
				break;
			default:
				FUZZ_CHECK(m->has_lapse && s->from == m->lapse_to && s->to == m->lapse_from &&
						   cdm_sm_move(m, s->from, s->to) == CDM_MOVE_TRANSITION,
						   "return off the lapse rule");
				break;
		}
		cur = s->to;
		entered = s->at;
	}
	FUZZ_CHECK(cur == st.stage, "the log ends in %d, derive says %d", cur, st.stage);
	FUZZ_CHECK(entered == st.entered, "the log ends at %lld, derive says %lld",
			   (long long) entered, (long long) st.entered);
done:
	free(odd);
	free(few);
	free(log);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FuzzInput	in;
	CdmStageModel *m = malloc(sizeof(CdmStageModel));
	CdmStageModel *m2 = malloc(sizeof(CdmStageModel));
	CdmSmError	e;
	uint8_t    *bytes,
			   *again;
	size_t		len,
				len2;
	size_t		n;
	CdmEvent   *ev;

	fuzz_split(data, size, 3, &in);
	if (in.opt & 1)
		e = build(m, (const uint8_t *) in.p[0], in.len[0]);
	else
	{
		e = cdm_sm_load(m, (const uint8_t *) in.p[0], in.len[0]);
		FUZZ_CHECK(cdm_sm_error_text(e) != NULL, "no text for error %d", (int) e);
	}
	if (e != CDM_SM_OK)
		goto done;
	bytes = serialise(m, &len);
	if (!(in.opt & 1))
		FUZZ_CHECK(len == in.len[0] && memcmp(bytes, in.p[0], len) == 0,
				   "a loaded program serialises to other bytes (%zu vs %zu)", len, in.len[0]);
	e = cdm_sm_load(m2, bytes, len);
	FUZZ_CHECK(e == CDM_SM_OK, "its own program is refused: %s", cdm_sm_error_text(e));
	again = serialise(m2, &len2);
	FUZZ_CHECK(len2 == len && memcmp(again, bytes, len) == 0, "serialise(load(serialise)) differs");
	for (size_t k = 0; k + 1 < len; k += 1 + len / 7)
	{
		/* a cut program is refused */
		FUZZ_CHECK(cdm_sm_load(m2, bytes, k) != CDM_SM_OK, "a program cut at %zu of %zu loads", k, len);
	}
	free(again);
	free(bytes);

	/* events: sorted, valid, as a stored timeline is */
	n = in.len[1] / 16;
	ev = malloc((n + 1) * sizeof(CdmEvent));
	for (size_t i = 0; i < n; i++)
	{
		const uint8_t *p = (const uint8_t *) in.p[1] + 16 * i;

		ev[i].at = p[0] == 0xFF ? get_i64(in.p[1], in.len[1], 16 * i + 8) : (int64_t) (int8_t) p[1] * 1000;
		ev[i].milestone = 1 + p[2] % 12;
		ev[i].scope = p[3] % 3;
	}
	n = cdm_timeline_sort(ev, n);
	FUZZ_CHECK(cdm_timeline_valid(ev, n), "sorted events not a valid timeline");
	{
		int64_t		as_of = in.len[2] >= 8 ? get_i64(in.p[2], in.len[2], 0) : 50000;
		int64_t		born = in.len[2] >= 16 ? get_i64(in.p[2], in.len[2], 8) : -50000;
		int32_t		scope = 0;

		if (in.len[2] >= 20)
			memcpy(&scope, in.p[2] + 16, 4);
		if (in.len[2] > 0 && in.len[2] < 8)
		{
			as_of = (int8_t) in.p[2][0] * 1000;
			born = in.len[2] > 1 ? (int8_t) in.p[2][1] * 1000 : INT64_MIN;
		}
		check_derive(m, ev, n, as_of, scope % 4, born);
	}
	free(ev);
done:
	free(m2);
	free(m);
	return 0;
}
