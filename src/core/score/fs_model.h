/*
 * fs_model.h - the Fellegi-Sunter match model (Fellegi and Sunter 1969)
 * over packed comparison patterns (4 bits a role, role r in bits 4r..4r+3,
 * level 0 = missing; see match_record.h for the roles cdm compares).
 *
 * The model holds, per role and level, m = P(level | match) and
 * u = P(level | non-match), and the prior lambda = P(match) of a candidate
 * pair.  A pair's match weight is the log2 Bayes factor
 *
 *   w = log2(lambda / (1 - lambda)) + sum over roles of log2(m[l] / u[l])
 *
 * where a missing role (level 0) adds 0: it tells nothing either way.
 * Level 0's m and u are not parameters (m[0] = u[0] = 0 by convention)
 * and levels 1.. of a role sum to 1 under m and under u.
 *
 * The model is generic (up to CDM_FS_MAX_ROLES roles of up to
 * CDM_FS_MAX_LEVELS levels); cdm_match_model_init (match_model.h) sets it
 * up for cdm's nine roles with sensible starting values.
 *
 * Training, as Splink does it: u from the patterns of RANDOM pairs
 * (cdm_fs_estimate_u: among random pairs nearly all are non-matches),
 * then m and lambda by EM over the patterns of the candidate pairs with u
 * held fixed (cdm_fs_em).  EM runs over DISTINCT patterns with counts
 * (cdm_fs_compact), so a million pairs cost the same as their few
 * thousand distinct patterns.
 *
 * Nothing here allocates.  Derived tables (log2 ratios) live inside the
 * model; call cdm_fs_model_prepare after changing m, u or lambda by hand
 * (every function below that changes them calls it itself).
 */
#ifndef CDM_FS_MODEL_H
#define CDM_FS_MODEL_H

#include "cdm_core.h"

#define CDM_FS_MAX_ROLES 16		/* 16 x 4 bits = 64 */
#define CDM_FS_MAX_LEVELS 16

/*
 * Smallest m or u a fitted model keeps: EM and u estimation never produce
 * a 0 (log2(0) = -inf would make one disagreement veto any pair).
 */
#define CDM_FS_PROB_FLOOR 1e-6

/*
 * Default floor of a term frequency in the TF adjustment: a value seen
 * once in a million records is as rare as the adjustment believes
 * anything to be, so a bad tf (0.0000001, a frequency from a tiny sample)
 * cannot add more than log2(u / 1e-6) bits.  Stored in the model.
 */
#define CDM_FS_TF_FLOOR_DEFAULT 1e-6

/* Bounds on lambda (EM and the validity check): weights stay finite. */
#define CDM_FS_LAMBDA_MIN 1e-12
#define CDM_FS_LAMBDA_MAX (1.0 - 1e-12)

typedef struct CdmFsRole
{
	int32_t		nlevels;		/* levels 0..nlevels-1, 2 <= nlevels <= 16 */
	int32_t		tf_levels;		/* levels 1..tf_levels get the TF adjustment;
								 * 0 = no TF for this role */
	double		m[CDM_FS_MAX_LEVELS];
	double		u[CDM_FS_MAX_LEVELS];
	double		w[CDM_FS_MAX_LEVELS];	/* derived: log2(m/u), w[0] = 0 */
	double		log2u[CDM_FS_MAX_LEVELS];	/* derived, for TF */
	double		tf_max[CDM_FS_MAX_LEVELS];	/* derived: the largest TF
											 * adjustment of a level (at the
											 * floor), 0 when not positive */
} CdmFsRole;

typedef struct CdmFsModel
{
	int32_t		nroles;			/* 1..16 */
	double		lambda;			/* prior P(match) of a candidate pair */
	double		tf_floor;		/* see CDM_FS_TF_FLOOR_DEFAULT */
	double		prior_w;		/* derived: log2(lambda / (1 - lambda)) */
	CdmFsRole	role[CDM_FS_MAX_ROLES];
} CdmFsModel;

/*
 * Check the model (nroles, nlevels, tf_levels in range; lambda in
 * [CDM_FS_LAMBDA_MIN, CDM_FS_LAMBDA_MAX]; every m and u of levels 1.. in
 * (0, 1] and finite; tf_floor in (0, 1]) and compute the derived tables.
 * Returns false (model unchanged otherwise) when something is invalid.
 * Sums are not required to be exactly 1 (a hand-written model may round).
 */
extern bool cdm_fs_model_prepare(CdmFsModel *model);

/* ---------------------------------------------------------------- scoring */

/* Match weight (bits) of a pattern; levels past a role's nlevels count as missing. */
extern double cdm_fs_weight(const CdmFsModel *model, uint64_t pattern);

/*
 * The same with the term-frequency adjustment: for each role with
 * tf_levels > 0 whose level l is in 1..tf_levels and tf[r] > 0, add
 *
 *   log2(u[l] / max(tf[r], tf_floor))
 *
 * i.e. replace the role's average u by the frequency of this very value:
 * agreeing on "smith" (common) weighs less than agreeing on "kierkegaard".
 * tf may be NULL (no adjustment).  tf[r] is the value's relative frequency
 * among the records (count / number of non-missing values), in (0, 1].
 */
extern double cdm_fs_weight_tf(const CdmFsModel *model, uint64_t pattern,
							   const double *tf);

/*
 * The largest cdm_fs_weight_tf can give for this pattern over every tf:
 * each TF role at level 1..tf_levels adds its adjustment at the floor
 * (log2(u[l] / tf_floor)) when that is positive.  Summed in the same order
 * as cdm_fs_weight_tf, so it is never below it; cdm.dedupe skips the
 * records' term frequencies of a pair whose bound is under the threshold.
 */
extern double cdm_fs_weight_tf_max(const CdmFsModel *model, uint64_t pattern);

/*
 * Per-role contributions (an explain waterfall): out[r] = the role's
 * weight including its TF adjustment (tf may be NULL), for r < nroles.
 * Returns the prior weight; prior + sum(out) = cdm_fs_weight_tf.
 */
extern double cdm_fs_role_weights(const CdmFsModel *model, uint64_t pattern,
								  const double *tf, double *out);

/*
 * 2^w / (1 + 2^w), computed without overflow: w = +1000 gives 1,
 * w = -1000 gives 2^-1000 (about 9.3e-302), -inf gives 0, +inf gives 1.
 */
extern double cdm_fs_probability(double w);

/* The weight of a probability, log2(p / (1 - p)) (for thresholds). */
extern double cdm_fs_weight_of_probability(double p);

/* ---------------------------------------------------------------- training */

/*
 * Sort n patterns in place, then compact them: patterns[0..k) become the
 * distinct patterns in ascending order and counts[0..k) how often each
 * occurred (counts needs room for n).  Returns k.  In-place introsort
 * (three-way partitions, so many duplicates make it faster, heapsort past
 * a depth limit): O(n log k) typical, O(n log n) worst, no workspace;
 * calls CDM_CHECK_INTERRUPTS() every CDM_INTERRUPT_STRIDE elements.
 */
extern size_t cdm_fs_compact(uint64_t *patterns, size_t n, uint64_t *counts);

/*
 * u from the (distinct) patterns of random pairs, with counts (NULL = 1
 * each).  For each role, u[l] = (c[l] + 1) / (C + L - 1) over its levels
 * l = 1..L-1, where c[l] counts pairs at level l and C = sum of c[l]
 * (missing pairs do not count).  The +1 (Laplace) keeps every u above 0
 * and, for levels random pairs almost never reach (exact dob), errs on
 * the side of a larger u, i.e. a weaker agreement weight.  A role never
 * seen non-missing keeps its u.  Returns the number of pairs used.
 */
extern uint64_t cdm_fs_estimate_u(CdmFsModel *model, const uint64_t *patterns,
								  const uint64_t *counts, size_t k);

/*
 * EM for m and lambda over k distinct patterns with counts (NULL = 1 each),
 * u fixed.  Starts from the model's m and lambda (cdm_match_model_init's
 * priors, or a previous fit).
 *   E: g = P(match | pattern) = sigmoid(logit(lambda) + sum ln(m/u)) over
 *      the non-missing roles (stable for any magnitude);
 *   M: lambda = sum(c g) / sum(c); m[r][l] = sum(c g [level = l]) /
 *      sum(c g [level >= 1]): missing roles are out of both sums.
 * m values are floored at CDM_FS_PROB_FLOOR and renormalised (a level no
 * match reaches keeps a small m); a role no pattern has non-missing, or
 * with no match mass, keeps its m; lambda is clamped to
 * [CDM_FS_LAMBDA_MIN, CDM_FS_LAMBDA_MAX].
 * Stops when the largest change of lambda or any m is below tol, or after
 * max_iter iterations.  Returns the iterations run (0 when there are no
 * pairs: the model is left as it was), or -1 when the model is invalid.
 * Calls CDM_CHECK_INTERRUPTS() every iteration and every
 * CDM_INTERRUPT_STRIDE patterns.
 */
extern int	cdm_fs_em(CdmFsModel *model, const uint64_t *patterns,
					  const uint64_t *counts, size_t k, int max_iter, double tol);

/* ---------------------------------------------------------------- storage */

/*
 * Flat form: an array of doubles
 *   [1 (format), nroles, lambda, tf_floor,
 *    per role: nlevels, tf_levels, m[1..nlevels-1], u[1..nlevels-1]]
 * for a float8[] column.  cdm_fs_model_to_flat writes at most cap doubles
 * and returns the number needed (cdm_fs_model_flat_size); from_flat
 * returns false (model unspecified) when the array is malformed or the
 * model invalid.  Exact: doubles go through unchanged.
 */
extern size_t cdm_fs_model_flat_size(const CdmFsModel *model);
extern size_t cdm_fs_model_to_flat(const CdmFsModel *model, double *out, size_t cap);
extern bool cdm_fs_model_from_flat(CdmFsModel *model, const double *in, size_t n);

/*
 * Text form, one line a part, numbers in %.17g (exact round trip):
 *   cdm_fs 1
 *   lambda 0.0123
 *   tf_floor 1e-06
 *   role 0 levels 8 tf 2 m 0.7 0.1 ... u 0.01 0.02 ...
 *   ...
 * to_text writes at most cap bytes including the NUL and returns the
 * length without it (like snprintf: retry with more room when it is
 * >= cap).  from_text parses a NUL-terminated string written by to_text
 * (any whitespace between tokens); false when malformed or invalid.
 * Numbers use '.' as the decimal point (the C locale, which PostgreSQL
 * backends keep for LC_NUMERIC).
 */
extern size_t cdm_fs_model_to_text(const CdmFsModel *model, char *out, size_t cap);
extern bool cdm_fs_model_from_text(CdmFsModel *model, const char *text);

#endif							/* CDM_FS_MODEL_H */
