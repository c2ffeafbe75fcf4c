/*
 * test_stage_model.c - stage models: building and its checks, the
 * serialised program (round trip, every truncation and many bit flips
 * rejected or loaded without harm), moves of the default model, and
 * derivation over hand-built timelines (skipping, reactivation only via
 * reactivated_by, lapse and coming back, scope, as_of, born > as_of).
 */
#include "unit.h"

#include "stage_model.h"

/* Milestone ids as the extension seeds them (70_milestone.sql). */
enum
{
	LEAD_CREATED = 1, ONBOARDING_STARTED, DOCUMENTS_SUBMITTED, ONBOARDING_COMPLETED,
	READY_FOR_SERVICE, CONTRACT_SIGNED, PURCHASE, INVOICE_PAID, LOGIN, CONTRACT_ENDED
};
enum
{
	PROSPECT, LEAD, ONBOARDING, ACTIVE, LAPSED, CHURNED
};

#define DAY INT64_C(86400000000)

static int
st(const CdmStageModel *m, const char *name)
{
	return cdm_sm_stage_index(m, name, strlen(name));
}

/* The 'default' model of the spec, built through the checking builder. */
static void
build_default(CdmStageModel *m)
{
	static const char *stages[] = {"prospect", "lead", "onboarding", "active", "lapsed", "churned"};
	static const int edges[][2] = {{PROSPECT, LEAD}, {LEAD, ONBOARDING}, {ONBOARDING, ACTIVE},
	{ACTIVE, LAPSED}, {LAPSED, ACTIVE}, {ACTIVE, CHURNED}, {LAPSED, CHURNED}};
	int			bad = 0;

	cdm_sm_init(m);
	for (int i = 0; i < 6; i++)
		bad += cdm_sm_add_stage(m, stages[i], strlen(stages[i])) != CDM_SM_OK;
	bad += cdm_sm_set_initial(m, PROSPECT) != CDM_SM_OK;
	for (int i = 0; i < 7; i++)
		bad += cdm_sm_add_edge(m, edges[i][0], edges[i][1], false) != CDM_SM_OK;
	bad += cdm_sm_add_edge(m, CHURNED, ACTIVE, true) != CDM_SM_OK;
	bad += cdm_sm_map_milestone(m, LEAD_CREATED, LEAD) != CDM_SM_OK;
	bad += cdm_sm_map_milestone(m, ONBOARDING_STARTED, ONBOARDING) != CDM_SM_OK;
	bad += cdm_sm_map_milestone(m, DOCUMENTS_SUBMITTED, ONBOARDING) != CDM_SM_OK;
	bad += cdm_sm_map_milestone(m, ONBOARDING_COMPLETED, ACTIVE) != CDM_SM_OK;
	bad += cdm_sm_map_milestone(m, CONTRACT_ENDED, CHURNED) != CDM_SM_OK;
	bad += cdm_sm_add_reactivated_by(m, CONTRACT_SIGNED) != CDM_SM_OK;
	bad += cdm_sm_set_lapse(m, 365 * DAY, ACTIVE, LAPSED) != CDM_SM_OK;
	bad += cdm_sm_add_activity(m, INVOICE_PAID) != CDM_SM_OK;
	bad += cdm_sm_add_activity(m, PURCHASE) != CDM_SM_OK;
	bad += cdm_sm_add_activity(m, LOGIN) != CDM_SM_OK;
	bad += cdm_sm_finish(m) != CDM_SM_OK;
	CHECK_INT(bad, 0, "the default model builds");
}

static void
test_builder_checks(void)
{
	CdmStageModel m;

	cdm_sm_init(&m);
	CHECK_INT(cdm_sm_finish(&m), CDM_SM_NO_STAGES, "no stage");
	CHECK_INT(cdm_sm_add_stage(&m, "Active", 6), CDM_SM_BAD_NAME, "upper case");
	CHECK_INT(cdm_sm_add_stage(&m, "", 0), CDM_SM_BAD_NAME, "empty");
	CHECK_INT(cdm_sm_add_stage(&m, "1st", 3), CDM_SM_BAD_NAME, "digit first");
	CHECK_INT(cdm_sm_add_stage(&m, "a:b", 3), CDM_SM_BAD_NAME, "colon");
	CHECK(!cdm_sm_valid_name("abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcd", 64),
		  "64 bytes too long");
	CHECK(cdm_sm_valid_name("abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabc", 63),
		  "63 bytes fine");
	CHECK_INT(cdm_sm_add_stage(&m, "a", 1), CDM_SM_OK, "a");
	CHECK_INT(cdm_sm_add_stage(&m, "b", 1), CDM_SM_OK, "b");
	CHECK_INT(cdm_sm_add_stage(&m, "a", 1), CDM_SM_DUP_STAGE, "a twice");
	CHECK_INT(cdm_sm_add_edge(&m, 0, 0, false), CDM_SM_SELF_EDGE, "self edge");
	CHECK_INT(cdm_sm_add_edge(&m, 0, 2, false), CDM_SM_UNKNOWN_STAGE, "edge to nowhere");
	CHECK_INT(cdm_sm_add_edge(&m, -1, 1, false), CDM_SM_UNKNOWN_STAGE, "edge from nowhere");
	CHECK_INT(cdm_sm_add_edge(&m, 0, 1, false), CDM_SM_OK, "a->b");
	CHECK_INT(cdm_sm_add_edge(&m, 0, 1, false), CDM_SM_OK, "a->b again is harmless");
	CHECK_INT(cdm_sm_add_edge(&m, 0, 1, true), CDM_SM_DUP_EDGE, "a->b also a reactivation");
	CHECK_INT(cdm_sm_set_initial(&m, 2), CDM_SM_UNKNOWN_STAGE, "initial out of range");
	CHECK_INT(cdm_sm_map_milestone(&m, 0, 1), CDM_SM_BAD_MILESTONE, "milestone 0");
	CHECK_INT(cdm_sm_map_milestone(&m, 5, 1), CDM_SM_OK, "map 5");
	CHECK_INT(cdm_sm_map_milestone(&m, 5, 0), CDM_SM_DUP_MILESTONE, "map 5 twice");
	CHECK_INT(cdm_sm_map_milestone(&m, 6, 7), CDM_SM_UNKNOWN_STAGE, "map to nowhere");
	CHECK_INT(cdm_sm_add_reactivated_by(&m, -3), CDM_SM_BAD_MILESTONE, "negative id");
	CHECK_INT(cdm_sm_add_activity(&m, 9), CDM_SM_OK, "activity 9");
	CHECK_INT(cdm_sm_add_activity(&m, 9), CDM_SM_DUP_MILESTONE, "activity 9 twice");
	CHECK_INT(cdm_sm_finish(&m), CDM_SM_BAD_LAPSE, "activity without a lapse rule");
	CHECK_INT(cdm_sm_set_lapse(&m, 0, 0, 1), CDM_SM_BAD_LAPSE, "zero interval");
	CHECK_INT(cdm_sm_set_lapse(&m, DAY, 1, 1), CDM_SM_BAD_LAPSE, "from = to");
	CHECK_INT(cdm_sm_set_lapse(&m, DAY, 0, 1), CDM_SM_OK, "lapse");
	CHECK_INT(cdm_sm_set_lapse(&m, DAY, 0, 1), CDM_SM_BAD_LAPSE, "lapse twice");
	CHECK_INT(cdm_sm_finish(&m), CDM_SM_OK, "finish");

	cdm_sm_init(&m);
	for (int i = 0; i < CDM_STAGE_MAX; i++)
	{
		char		name[8];

		snprintf(name, sizeof(name), "s%d", i);
		cdm_sm_add_stage(&m, name, strlen(name));
	}
	CHECK_INT(m.nstages, CDM_STAGE_MAX, "32 stages");
	CHECK_INT(cdm_sm_add_stage(&m, "one_more", 8), CDM_SM_TOO_MANY, "33rd stage");
	/* a chain s0 -> ... -> s31 with the top bit used */
	for (int i = 0; i + 1 < CDM_STAGE_MAX; i++)
		cdm_sm_add_edge(&m, i, i + 1, false);
	CHECK_INT(cdm_sm_finish(&m), CDM_SM_OK, "finish 32");
	CHECK_INT(cdm_sm_move(&m, 0, 31), CDM_MOVE_REACHABLE, "s0 reaches s31");
	CHECK_INT(cdm_sm_move(&m, 31, 0), CDM_MOVE_NONE, "s31 reaches nothing");
	{
		uint8_t		buf[2048];
		size_t		len = cdm_sm_serialise(&m, buf, sizeof(buf));
		CdmStageModel back;

		CHECK(len <= sizeof(buf), "32 stages fit");
		CHECK_INT(cdm_sm_load(&back, buf, len), CDM_SM_OK, "32 stages load");
		CHECK_INT(cdm_sm_move(&back, 30, 31), CDM_MOVE_TRANSITION, "top bit kept");
	}
}

static const char *move_names[] = {"none", "same", "transition", "reactivation", "reachable"};

static void
test_default_moves(void)
{
	CdmStageModel m;

	/* want[from][to], in rank order */
	static const CdmStageMove want[6][6] = {
		/* prospect */ {CDM_MOVE_SAME, CDM_MOVE_TRANSITION, CDM_MOVE_REACHABLE, CDM_MOVE_REACHABLE, CDM_MOVE_REACHABLE, CDM_MOVE_REACHABLE},
		/* lead */ {CDM_MOVE_NONE, CDM_MOVE_SAME, CDM_MOVE_TRANSITION, CDM_MOVE_REACHABLE, CDM_MOVE_REACHABLE, CDM_MOVE_REACHABLE},
		/* onboarding */ {CDM_MOVE_NONE, CDM_MOVE_NONE, CDM_MOVE_SAME, CDM_MOVE_TRANSITION, CDM_MOVE_REACHABLE, CDM_MOVE_REACHABLE},
		/* active */ {CDM_MOVE_NONE, CDM_MOVE_NONE, CDM_MOVE_NONE, CDM_MOVE_SAME, CDM_MOVE_TRANSITION, CDM_MOVE_TRANSITION},
		/* lapsed */ {CDM_MOVE_NONE, CDM_MOVE_NONE, CDM_MOVE_NONE, CDM_MOVE_TRANSITION, CDM_MOVE_SAME, CDM_MOVE_TRANSITION},
		/* churned */ {CDM_MOVE_NONE, CDM_MOVE_NONE, CDM_MOVE_NONE, CDM_MOVE_REACTIVATION, CDM_MOVE_NONE, CDM_MOVE_SAME},
	};

	build_default(&m);
	CHECK_INT(st(&m, "churned"), CHURNED, "churned is rank 5");
	CHECK_INT(st(&m, "nope"), -1, "unknown stage");
	CHECK_INT(st(&m, "activ"), -1, "prefix is not a stage");
	for (int f = 0; f < 6; f++)
		for (int t = 0; t < 6; t++)
			CHECK_INT(cdm_sm_move(&m, f, t), want[f][t], "%s -> %s: want %s",
					  m.name[f], m.name[t], move_names[want[f][t]]);
	CHECK_INT(cdm_sm_move(&m, 0, 6), CDM_MOVE_NONE, "out of range");
	CHECK_INT(cdm_sm_milestone_stage(&m, DOCUMENTS_SUBMITTED), ONBOARDING, "documents -> onboarding");
	CHECK_INT(cdm_sm_milestone_stage(&m, LOGIN), -1, "login is not mapped");
}

static void
test_program(void)
{
	CdmStageModel m,
				back;
	uint8_t		buf[1024];
	size_t		len;
	int			loaded = 0,
				rejected = 0;

	build_default(&m);
	len = cdm_sm_serialise(&m, NULL, 0);
	CHECK(len > 7 && len <= sizeof(buf), "sized: %zu", len);
	CHECK_INT(cdm_sm_serialise(&m, buf, sizeof(buf)), len, "same length written");
	CHECK(memcmp(buf, "CDSM\001", 5) == 0, "magic and version");
	CHECK_INT(cdm_sm_load(&back, buf, len), CDM_SM_OK, "round trip");
	CHECK(memcmp(&back, &m, sizeof(m)) == 0, "loaded model identical to the built one");

	/* every truncation and one extra byte: rejected */
	for (size_t cut = 0; cut < len; cut++)
		rejected += cdm_sm_load(&back, buf, cut) == CDM_SM_CORRUPT;
	CHECK_INT(rejected, (long long) len, "every truncation rejected");
	buf[len] = 0;
	CHECK_INT(cdm_sm_load(&back, buf, len + 1), CDM_SM_CORRUPT, "trailing byte");
	buf[4] = 2;
	CHECK_INT(cdm_sm_load(&back, buf, len), CDM_SM_CORRUPT, "unknown version");
	buf[4] = 1;

	/*
	 * Every single-bit flip either loads as a valid model (a different id,
	 * a different name) or is rejected; none may crash (ASan: make unit
	 * SANITIZE=1).  Flips in the structure must be rejected: the first
	 * stage count byte, for instance.
	 */
	rejected = 0;
	for (size_t i = 0; i < len; i++)
		for (int b = 0; b < 8; b++)
		{
			buf[i] ^= (uint8_t) (1 << b);
			if (cdm_sm_load(&back, buf, len) == CDM_SM_OK)
			{
				CdmStageState s;

				loaded++;
				/* a loaded model must be usable */
				cdm_sm_derive(&back, NULL, 0, DAY, 0, 0, &s, NULL, 0, NULL);
				CHECK(s.stage >= 0 && s.stage < back.nstages, "flip %zu.%d: stage in range", i, b);
			}
			else
				rejected++;
			buf[i] ^= (uint8_t) (1 << b);
		}
	CHECK(rejected > 0 && loaded > 0, "flips: %d loaded, %d rejected", loaded, rejected);
	buf[5] ^= 1;				/* 6 stages -> 7 */
	CHECK_INT(cdm_sm_load(&back, buf, len), CDM_SM_CORRUPT, "stage count flipped");
	buf[5] ^= 1;
	CHECK_INT(cdm_sm_load(&back, buf, len), CDM_SM_OK, "restored");
	CHECK_INT(cdm_sm_load(&back, (const uint8_t *) "CDSM", 4), CDM_SM_CORRUPT, "magic only");
	CHECK_INT(cdm_sm_load(&back, (const uint8_t *) "XXXX\001\001\000", 7), CDM_SM_CORRUPT, "bad magic");
}

/* ---------------------------------------------------------------- derivation */

static CdmEvent
E(int64_t day, int32_t milestone, int32_t scope)
{
	CdmEvent	e = {day * DAY, milestone, scope};

	return e;
}

typedef struct Got
{
	bool		ok;
	int			stage;
	int64_t		day;			/* entered, in days (exact days only) */
	int64_t		entered;
	size_t		nlog;
	CdmStageStep log[64];
} Got;

static Got
derive(const CdmStageModel *m, const CdmEvent *ev, size_t n, int64_t as_of_day,
	   int32_t scope, int64_t born_day)
{
	Got			g;
	CdmStageState s = {-1, 0};

	memset(&g, 0, sizeof(g));
	g.ok = cdm_sm_derive(m, ev, n, as_of_day * DAY, scope, born_day * DAY, &s,
						 g.log, 64, &g.nlog);
	g.stage = s.stage;
	g.entered = s.entered;
	g.day = s.entered / DAY;
	return g;
}

static void
test_derive_basic(const CdmStageModel *m)
{
	CdmEvent	ev[8];
	Got			g;

	/* nothing happened: the initial stage, entered at born */
	g = derive(m, NULL, 0, 10, 0, 3);
	CHECK(g.ok && g.stage == PROSPECT && g.day == 3, "empty: prospect since born");
	CHECK_INT(g.nlog, 0, "empty: no step");

	/* born after as_of: no state */
	g = derive(m, NULL, 0, 10, 0, 11);
	CHECK(!g.ok, "born > as_of gives nothing");
	g = derive(m, NULL, 0, 10, 0, 10);
	CHECK(g.ok && g.stage == PROSPECT, "born = as_of is a state");

	/* the normal path */
	ev[0] = E(1, LEAD_CREATED, 0);
	ev[1] = E(2, ONBOARDING_STARTED, 0);
	ev[2] = E(3, DOCUMENTS_SUBMITTED, 0);
	ev[3] = E(4, ONBOARDING_COMPLETED, 0);
	g = derive(m, ev, 4, 10, 0, 0);
	CHECK(g.stage == ACTIVE && g.day == 4, "path: active since day 4 (%d, %lld)", g.stage, (long long) g.day);
	CHECK_INT(g.nlog, 4, "path: four steps");
	CHECK_INT(g.log[2].kind, CDM_STEP_SAME, "documents_submitted in onboarding: same");
	CHECK_INT(g.log[3].kind, CDM_STEP_TAKE, "onboarding -> active: transition");

	/* as_of cuts: at day 2 onboarding (entered day 2), day 3 still entered day 2 */
	g = derive(m, ev, 4, 2, 0, 0);
	CHECK(g.stage == ONBOARDING && g.day == 2, "as_of day 2: onboarding");
	g = derive(m, ev, 4, 3, 0, 0);
	CHECK(g.stage == ONBOARDING && g.day == 2, "as_of day 3: onboarding since day 2");
	g = derive(m, ev, 4, 0, 0, 0);
	CHECK(g.stage == PROSPECT && g.day == 0, "as_of day 0: prospect");
	/* an event exactly at as_of counts */
	g = derive(m, ev, 4, 1, 0, 0);
	CHECK(g.stage == LEAD && g.day == 1, "event at as_of counts");

	/* skipping: prospect -> active straight on onboarding_completed */
	ev[0] = E(5, ONBOARDING_COMPLETED, 0);
	g = derive(m, ev, 1, 10, 0, 0);
	CHECK(g.stage == ACTIVE && g.day == 5, "skip to active");
	CHECK_INT(g.log[0].kind, CDM_STEP_SKIP, "logged as a skip");
	CHECK_INT(g.log[0].from, PROSPECT, "skip from prospect");

	/* backwards is ignored: active, then lead_created */
	ev[1] = E(6, LEAD_CREATED, 0);
	ev[2] = E(7, ONBOARDING_STARTED, 0);
	g = derive(m, ev, 3, 10, 0, 0);
	CHECK(g.stage == ACTIVE && g.day == 5, "no way back to lead/onboarding");
	CHECK_INT(g.log[1].kind, CDM_STEP_NOT_ALLOWED, "lead_created ignored");
	CHECK_INT(g.log[1].target, LEAD, "ignored step names its target");

	/* unmapped, non-activity milestones do nothing and log nothing */
	ev[0] = E(1, READY_FOR_SERVICE, 0);
	g = derive(m, ev, 1, 10, 0, 0);
	CHECK(g.stage == PROSPECT && g.nlog == 0, "ready_for_service does nothing");

	/* an unknown milestone id (e.g. declared after the model) is harmless */
	ev[0] = E(1, 999, 0);
	g = derive(m, ev, 1, 10, 0, 0);
	CHECK(g.stage == PROSPECT && g.nlog == 0, "unknown milestone id");

	/* an event before born moves at born: entry times never go backwards */
	ev[0] = E(1, LEAD_CREATED, 0);
	g = derive(m, ev, 1, 10, 0, 5);
	CHECK(g.stage == LEAD && g.day == 5, "event before born enters at born");
}

static void
test_derive_reactivation(const CdmStageModel *m)
{
	CdmEvent	ev[8];
	Got			g;

	ev[0] = E(1, ONBOARDING_COMPLETED, 0);
	ev[1] = E(10, CONTRACT_ENDED, 0);
	g = derive(m, ev, 2, 20, 0, 0);
	CHECK(g.stage == CHURNED && g.day == 10, "churned on contract_ended");

	/* onboarding_completed maps to active, but churned -> active needs a reactivation */
	ev[2] = E(12, ONBOARDING_COMPLETED, 0);
	g = derive(m, ev, 3, 20, 0, 0);
	CHECK(g.stage == CHURNED && g.day == 10, "onboarding_completed cannot reactivate");
	CHECK_INT(g.log[2].kind, CDM_STEP_NEEDS_REACTIVATION, "logged: needs a reactivation");

	/* activity does not reactivate either (churned is not lapse.to) */
	ev[2] = E(12, LOGIN, 0);
	g = derive(m, ev, 3, 20, 0, 0);
	CHECK(g.stage == CHURNED, "login while churned");

	/* contract_signed (reactivated_by, unmapped) takes churned -> active */
	ev[2] = E(12, LOGIN, 0);
	ev[3] = E(15, CONTRACT_SIGNED, 0);
	g = derive(m, ev, 4, 20, 0, 0);
	CHECK(g.stage == ACTIVE && g.day == 15, "reactivated on day 15");
	CHECK_INT(g.log[g.nlog - 1].kind, CDM_STEP_REACTIVATE, "logged as reactivation");

	/* contract_signed outside churned does nothing */
	ev[0] = E(1, CONTRACT_SIGNED, 0);
	g = derive(m, ev, 1, 20, 0, 0);
	CHECK(g.stage == PROSPECT && g.nlog == 0, "contract_signed in prospect: nothing");
	ev[0] = E(1, ONBOARDING_COMPLETED, 0);
	ev[1] = E(2, CONTRACT_SIGNED, 0);
	g = derive(m, ev, 2, 20, 0, 0);
	CHECK(g.stage == ACTIVE && g.day == 1, "contract_signed while active keeps the entry");
}

static void
test_derive_lapse(const CdmStageModel *m)
{
	CdmEvent	ev[8];
	Got			g;

	ev[0] = E(10, ONBOARDING_COMPLETED, 0);
	/* exactly 365 days after entry: not yet older than 'after' */
	g = derive(m, ev, 1, 375, 0, 0);
	CHECK(g.stage == ACTIVE && g.day == 10, "365 days: still active");
	{
		CdmStageState s;

		cdm_sm_derive(m, ev, 1, 375 * DAY + 1, 0, 0, &s, NULL, 0, NULL);
		CHECK(s.stage == LAPSED && s.entered == 375 * DAY, "one microsecond later: lapsed at entry + 365 days");
	}
	g = derive(m, ev, 1, 800, 0, 0);
	CHECK(g.stage == LAPSED && g.day == 375, "lapsed at day 375");
	CHECK(g.nlog == 2 && g.log[1].kind == CDM_STEP_LAPSE && g.log[1].since == 10 * DAY,
		  "lapse logged with its reference");

	/* activity refreshes: last login on day 100 -> lapsed at 465 */
	ev[1] = E(50, LOGIN, 0);
	ev[2] = E(100, INVOICE_PAID, 0);
	g = derive(m, ev, 3, 800, 0, 0);
	CHECK(g.stage == LAPSED && g.day == 465, "lapsed 365 days after the last activity (%lld)", (long long) g.day);

	/* coming back: a purchase on day 500 while lapsed */
	ev[3] = E(500, PURCHASE, 0);
	g = derive(m, ev, 4, 600, 0, 0);
	CHECK(g.stage == ACTIVE && g.day == 500, "back to active on day 500");
	CHECK_INT(g.log[g.nlog - 1].kind, CDM_STEP_RETURN, "logged as return");
	/* and lapsing again a year later */
	g = derive(m, ev, 4, 900, 0, 0);
	CHECK(g.stage == LAPSED && g.day == 865, "lapsed again on day 865");

	/* lapse is checked before an event: contract_ended on day 700 finds lapsed -> churned */
	ev[0] = E(10, ONBOARDING_COMPLETED, 0);
	ev[1] = E(700, CONTRACT_ENDED, 0);
	g = derive(m, ev, 2, 800, 0, 0);
	CHECK(g.stage == CHURNED && g.day == 700, "lapsed then churned");
	CHECK(g.nlog == 3 && g.log[1].kind == CDM_STEP_LAPSE && g.log[2].from == LAPSED,
		  "churn comes from lapsed");

	/* activity before onboarding does not shorten the active period */
	ev[0] = E(1, LOGIN, 0);
	ev[1] = E(10, ONBOARDING_COMPLETED, 0);
	g = derive(m, ev, 2, 375, 0, 0);
	CHECK(g.stage == ACTIVE, "entry into active counts, not the older login");

	/* churned customers do not lapse */
	ev[0] = E(1, ONBOARDING_COMPLETED, 0);
	ev[1] = E(2, CONTRACT_ENDED, 0);
	g = derive(m, ev, 2, 5000, 0, 0);
	CHECK(g.stage == CHURNED && g.day == 2, "churned stays churned");

	/* as_of at +infinity (INT64_MAX) does not overflow */
	{
		CdmStageState s;

		cdm_sm_derive(m, ev, 1, INT64_MAX, 0, 0, &s, NULL, 0, NULL);
		CHECK(s.stage == LAPSED && s.entered == 366 * DAY, "as_of infinity: lapsed");
		cdm_sm_derive(m, ev, 1, INT64_MAX, 0, INT64_MIN, &s, NULL, 0, NULL);
		CHECK(s.stage == LAPSED && s.entered == 366 * DAY, "born -infinity too");
	}
}

static void
test_derive_scope(const CdmStageModel *m)
{
	CdmEvent	ev[8];
	Got			g;

	/* unscoped lead, onboarding completed in scope 1, contract ended in scope 2 */
	ev[0] = E(1, LEAD_CREATED, 0);
	ev[1] = E(2, ONBOARDING_COMPLETED, 1);
	ev[2] = E(3, CONTRACT_ENDED, 2);
	g = derive(m, ev, 3, 10, 0, 0);
	CHECK(g.stage == CHURNED && g.day == 3, "scope 0 takes everything");
	g = derive(m, ev, 3, 10, 1, 0);
	CHECK(g.stage == ACTIVE && g.day == 2, "scope 1: active");
	g = derive(m, ev, 3, 10, 2, 0);
	CHECK(g.stage == CHURNED && g.day == 3, "scope 2: lead -> churned (reachable)");
	CHECK_INT(g.log[1].kind, CDM_STEP_SKIP, "lead -> churned skips");
	g = derive(m, ev, 3, 10, 3, 0);
	CHECK(g.stage == LEAD && g.day == 1, "scope 3: only the unscoped lead");

	/* activity of another scope does not keep scope 1 alive */
	ev[0] = E(1, ONBOARDING_COMPLETED, 1);
	ev[1] = E(300, LOGIN, 2);
	g = derive(m, ev, 2, 400, 1, 0);
	CHECK(g.stage == LAPSED && g.day == 366, "scope 1 lapsed despite scope 2 login");
	g = derive(m, ev, 2, 400, 0, 0);
	CHECK(g.stage == ACTIVE, "all scopes: still active");
}

/* A model with a custom initial stage, two reactivation edges, a mapped reactivated_by. */
static void
test_custom_model(void)
{
	CdmStageModel m;
	CdmEvent	ev[4];
	Got			g;
	int			bad = 0;

	cdm_sm_init(&m);
	bad += cdm_sm_add_stage(&m, "trial", 5);
	bad += cdm_sm_add_stage(&m, "paying", 6);
	bad += cdm_sm_add_stage(&m, "gone", 4);
	bad += cdm_sm_set_initial(&m, 1);
	bad += cdm_sm_add_edge(&m, 0, 1, false);
	bad += cdm_sm_add_edge(&m, 1, 2, false);
	bad += cdm_sm_add_edge(&m, 2, 0, true);
	bad += cdm_sm_add_edge(&m, 2, 1, true);
	bad += cdm_sm_map_milestone(&m, PURCHASE, 1);
	bad += cdm_sm_map_milestone(&m, CONTRACT_ENDED, 2);
	bad += cdm_sm_add_reactivated_by(&m, PURCHASE);
	bad += cdm_sm_add_reactivated_by(&m, LOGIN);
	bad += cdm_sm_finish(&m);
	CHECK_INT(bad, 0, "custom model builds");

	g = derive(&m, NULL, 0, 1, 0, 0);
	CHECK_INT(g.stage, 1, "custom initial stage");
	ev[0] = E(1, CONTRACT_ENDED, 0);
	ev[1] = E(2, PURCHASE, 0);
	g = derive(&m, ev, 2, 5, 0, 0);
	CHECK(g.stage == 1 && g.day == 2, "mapped reactivated_by takes gone -> paying");
	/* unmapped reactivated_by takes the lowest-ranked reactivation target */
	ev[1] = E(2, LOGIN, 0);
	g = derive(&m, ev, 2, 5, 0, 0);
	CHECK(g.stage == 0 && g.day == 2, "login: gone -> trial (lowest rank)");
}

static int	interrupts;

static void
count_interrupt(void)
{
	interrupts++;
}

static void
test_long_timeline(const CdmStageModel *m)
{
	size_t		n = 100000;
	CdmEvent   *ev = malloc(n * sizeof(CdmEvent));
	CdmStageState s;
	/* an unaligned copy, as a bytea's data may be */
	unsigned char *raw = malloc(n * sizeof(CdmEvent) + 1);

	ev[0] = E(0, ONBOARDING_COMPLETED, 0);
	for (size_t i = 1; i < n; i++)
		ev[i] = E((int64_t) i, LOGIN, 0);
	memcpy(raw + 1, ev, n * sizeof(CdmEvent));
	cdm_check_interrupts = count_interrupt;
	CHECK(cdm_sm_derive(m, raw + 1, n, (int64_t) n * DAY, 0, 0, &s, NULL, 0, NULL), "long");
	cdm_check_interrupts = NULL;
	CHECK(s.stage == ACTIVE && s.entered == 0, "daily logins keep it active");
	CHECK_INT(interrupts, (long long) (n / CDM_INTERRUPT_STRIDE), "interrupts checked every stride");
	free(ev);
	free(raw);
}

int
main(void)
{
	CdmStageModel m;

	test_builder_checks();
	test_default_moves();
	test_program();
	build_default(&m);
	test_derive_basic(&m);
	test_derive_reactivation(&m);
	test_derive_lapse(&m);
	test_derive_scope(&m);
	test_custom_model();
	test_long_timeline(&m);
	CHECK(strcmp(cdm_step_kind_name(CDM_STEP_LAPSE), "lapse") == 0, "step names");
	CHECK(strlen(cdm_sm_error_text(CDM_SM_CORRUPT)) > 0, "error texts");
	return unit_report("stage_model");
}
