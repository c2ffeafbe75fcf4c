/*
 * stage_model.h - a compiled lifecycle stage model and stage derivation.
 *
 * A stage model names an entity's stages in rank order (prospect, lead,
 * ..., churned), the moves allowed between them (normal transitions, and
 * reactivation edges that need an explicit reactivation), which milestones
 * move an entity to which stage, and an optional lapse rule (no activity for
 * a while: active -> lapsed).  cdm.declare_stage_model compiles the JSON
 * form into this structure and stores its flat serialised form (the
 * "program" bytea); every reader loads and validates that form, so a
 * corrupt bytea is rejected rather than trusted.
 *
 * The structure is fixed-size (no allocation): the limits below are far
 * above any real model.
 */
#ifndef CDM_STAGE_MODEL_H
#define CDM_STAGE_MODEL_H

#include "cdm_core.h"
#include "timeline.h"

#define CDM_STAGE_MAX			32	/* stages per model (bit masks are uint32) */
#define CDM_STAGE_NAME_MAX		63	/* bytes per stage or model name */
#define CDM_STAGE_MAX_MAPPED	256 /* milestone -> stage entries */
#define CDM_STAGE_MAX_IDS		64	/* reactivated_by, lapse activity */

/* Serialised form: magic "CDSM", then a version byte. */
#define CDM_STAGE_PROGRAM_VERSION 1

typedef enum CdmSmError
{
	CDM_SM_OK = 0,
	CDM_SM_BAD_NAME,			/* not [a-z][a-z0-9_]*, or longer than 63 */
	CDM_SM_DUP_STAGE,			/* a stage named twice */
	CDM_SM_TOO_MANY,			/* past one of the limits above */
	CDM_SM_UNKNOWN_STAGE,		/* a stage index out of range */
	CDM_SM_SELF_EDGE,			/* a transition from a stage to itself */
	CDM_SM_DUP_EDGE,			/* both a transition and a reactivation */
	CDM_SM_BAD_MILESTONE,		/* a milestone id <= 0 */
	CDM_SM_DUP_MILESTONE,		/* a milestone mapped or listed twice */
	CDM_SM_BAD_LAPSE,			/* after <= 0, from = to, lapse set twice */
	CDM_SM_NO_STAGES,			/* finished with no stage */
	CDM_SM_CORRUPT				/* serialised form unreadable */
} CdmSmError;

typedef struct CdmStageMap
{
	int32_t		milestone;
	int32_t		stage;
} CdmStageMap;

typedef struct CdmStageModel
{
	int			nstages;
	int			initial;
	char		name[CDM_STAGE_MAX][CDM_STAGE_NAME_MAX + 1];
	uint32_t	next[CDM_STAGE_MAX];	/* bit j of next[i]: i -> j is a transition */
	uint32_t	react[CDM_STAGE_MAX];	/* bit j of react[i]: i -> j is a reactivation */
	uint32_t	reach[CDM_STAGE_MAX];	/* by one or more transitions (cdm_sm_finish) */
	int			nmap;
	CdmStageMap map[CDM_STAGE_MAX_MAPPED];
	int			nreact_by;
	int32_t		react_by[CDM_STAGE_MAX_IDS];
	bool		has_lapse;
	int64_t		lapse_after;	/* microseconds, > 0 */
	int			lapse_from;
	int			lapse_to;
	int			nactivity;
	int32_t		activity[CDM_STAGE_MAX_IDS];
} CdmStageModel;

/* A short English text for an error code (for messages). */
extern const char *cdm_sm_error_text(CdmSmError e);

/* Is s[0..len) a valid stage or model name ([a-z][a-z0-9_]*, <= 63 bytes)? */
extern bool cdm_sm_valid_name(const char *s, size_t len);

/*
 * Building.  Start with cdm_sm_init, add stages first (rank = order of
 * addition), then the rest in any order, and end with cdm_sm_finish.
 */
extern void cdm_sm_init(CdmStageModel *m);
extern CdmSmError cdm_sm_add_stage(CdmStageModel *m, const char *name, size_t len);
extern CdmSmError cdm_sm_set_initial(CdmStageModel *m, int stage);
extern CdmSmError cdm_sm_add_edge(CdmStageModel *m, int from, int to, bool reactivation);
extern CdmSmError cdm_sm_map_milestone(CdmStageModel *m, int32_t milestone, int stage);
extern CdmSmError cdm_sm_add_reactivated_by(CdmStageModel *m, int32_t milestone);
extern CdmSmError cdm_sm_set_lapse(CdmStageModel *m, int64_t after, int from, int to);
extern CdmSmError cdm_sm_add_activity(CdmStageModel *m, int32_t milestone);
extern CdmSmError cdm_sm_finish(CdmStageModel *m);

/* Stage index of a name, or -1. */
extern int	cdm_sm_stage_index(const CdmStageModel *m, const char *name, size_t len);

/* Stage a milestone maps to, or -1. */
extern int	cdm_sm_milestone_stage(const CdmStageModel *m, int32_t milestone);

/*
 * Serialised form: writes at most cap bytes into buf and returns the
 * length needed (call with cap 0 to size the buffer).
 */
extern size_t cdm_sm_serialise(const CdmStageModel *m, uint8_t *buf, size_t cap);

/* Reads and validates a serialised model; on error *m is unusable. */
extern CdmSmError cdm_sm_load(CdmStageModel *m, const uint8_t *buf, size_t len);

/* What kind of move from -> to is. */
typedef enum CdmStageMove
{
	CDM_MOVE_NONE = 0,			/* not allowed */
	CDM_MOVE_SAME,				/* from = to */
	CDM_MOVE_TRANSITION,		/* a declared transition */
	CDM_MOVE_REACTIVATION,		/* a reactivation edge */
	CDM_MOVE_REACHABLE			/* not direct, reachable by transitions */
} CdmStageMove;

extern CdmStageMove cdm_sm_move(const CdmStageModel *m, int from, int to);

/* Derivation steps, for explain. */
typedef enum CdmStepKind
{
	CDM_STEP_TAKE,				/* a milestone took a declared transition */
	CDM_STEP_SKIP,				/* ... moved to a stage reachable by transitions */
	CDM_STEP_REACTIVATE,		/* a reactivated_by milestone took a reactivation edge */
	CDM_STEP_LAPSE,				/* no activity for longer than lapse.after */
	CDM_STEP_RETURN,			/* activity in lapse.to: back to lapse.from */
	CDM_STEP_SAME,				/* ignored: already in the milestone's stage */
	CDM_STEP_NEEDS_REACTIVATION,	/* ignored: only a reactivation edge leads there */
	CDM_STEP_NOT_ALLOWED		/* ignored: no way there from the current stage */
} CdmStepKind;

extern const char *cdm_step_kind_name(CdmStepKind k);

typedef struct CdmStageStep
{
	CdmStepKind kind;
	int32_t		milestone;		/* 0 for a lapse */
	int64_t		at;				/* when the step happened (a lapse: since + after) */
	int64_t		since;			/* a lapse: the last activity or entry it counts from */
	int			from;
	int			to;				/* = from for ignored milestones... */
	int			target;			/* ...whose stage is here (else = to) */
} CdmStageStep;

typedef struct CdmStageState
{
	int			stage;
	int64_t		entered;
} CdmStageState;

/*
 * Derive the stage at as_of from a timeline (n events of the shared
 * layout, possibly unaligned: events is read with memcpy), counting only
 * events of the given scope (cdm_event_in_scope), starting in the initial
 * stage entered at born.  Returns false (no state) when born > as_of.
 * When log is not NULL, the steps are written to log[0..logcap) and
 * *nlog is set to the number of steps (possibly more than logcap; 3 per
 * event plus 1 always suffice).
 */
extern bool cdm_sm_derive(const CdmStageModel *m, const void *events, size_t n,
						  int64_t as_of, int32_t scope, int64_t born,
						  CdmStageState *out,
						  CdmStageStep *log, size_t logcap, size_t *nlog);

#endif							/* CDM_STAGE_MODEL_H */
