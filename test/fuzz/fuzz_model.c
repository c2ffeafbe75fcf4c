/*
 * fuzz_model.c - score/: the Fellegi-Sunter model as stored (text form and
 * flat float8[] form: a corrupt stored model must be refused, never
 * trusted or crashed on), scoring with it, and training (cdm_fs_compact,
 * cdm_fs_estimate_u, cdm_fs_em).
 *
 * Input: option byte (bits 0-1: how to read the rest: as model text, as
 * raw doubles, as a flat model built from bytes (small integers and
 * probabilities, to get past the format checks), or as cdm's own starting
 * model plus patterns), then the model bytes; a second part gives
 * comparison patterns (8 bytes each) for scoring and training.
 *
 * Invariants:
 *   - a model that loads is valid (cdm_fs_model_prepare accepts it again);
 *     its text form and its flat form load back to the same numbers, and
 *     formatting needs exactly the length to_text reported;
 *   - weights of any pattern are finite; probabilities in [0, 1];
 *     prior + per-role weights = the weight (to rounding);
 *   - compact: distinct ascending patterns, counts summing to n;
 *   - after estimate_u and a few EM rounds the model is still valid.
 */
#include "fuzz.h"

#include "fs_model.h"
#include "match_record.h"

static bool
same_model(const CdmFsModel *a, const CdmFsModel *b)
{
	if (a->nroles != b->nroles || a->lambda != b->lambda || a->tf_floor != b->tf_floor)
		return false;
	for (int r = 0; r < a->nroles; r++)
	{
		const CdmFsRole *x = &a->role[r];
		const CdmFsRole *y = &b->role[r];

		if (x->nlevels != y->nlevels || x->tf_levels != y->tf_levels)
			return false;
		for (int l = 1; l < x->nlevels; l++)
			if (x->m[l] != y->m[l] || x->u[l] != y->u[l])
				return false;
	}
	return true;
}

static void
check_round_trips(const CdmFsModel *m)
{
	CdmFsModel *copy = malloc(sizeof(CdmFsModel));
	size_t		len = cdm_fs_model_to_text(m, NULL, 0);
	char	   *text = malloc(len + 1);
	size_t		nflat = cdm_fs_model_flat_size(m);
	double	   *flat = malloc(nflat * sizeof(double));

	FUZZ_CHECK(cdm_fs_model_to_text(m, text, len + 1) == len && strlen(text) == len,
			   "to_text length %zu", len);
	FUZZ_CHECK(cdm_fs_model_from_text(copy, text), "its own text is refused:\n%s", text);
	FUZZ_CHECK(same_model(m, copy), "text round trip differs:\n%s", text);
	/* one byte short: cut, NUL-terminated, same reported length */
	if (len > 0)
	{
		char	   *cut = malloc(len);

		FUZZ_CHECK(cdm_fs_model_to_text(m, cut, len) == len && strlen(cut) == len - 1,
				   "to_text into %zu bytes", len);
		free(cut);
	}
	FUZZ_CHECK(cdm_fs_model_to_flat(m, flat, nflat) == nflat, "to_flat size");
	FUZZ_CHECK(cdm_fs_model_to_flat(m, flat, nflat - 1) == nflat, "to_flat short");
	FUZZ_CHECK(cdm_fs_model_from_flat(copy, flat, nflat), "its own flat form is refused");
	FUZZ_CHECK(same_model(m, copy), "flat round trip differs");
	FUZZ_CHECK(!cdm_fs_model_from_flat(copy, flat, nflat - 1), "a flat form one short loads");
	free(flat);
	free(text);
	free(copy);
}

static void
check_scoring(const CdmFsModel *m, const uint64_t *pat, size_t n, const uint8_t *tfbytes)
{
	double		tf[CDM_FS_MAX_ROLES];
	double		out[CDM_FS_MAX_ROLES];

	for (int r = 0; r < CDM_FS_MAX_ROLES; r++)
		tf[r] = tfbytes[r] == 0 ? 0.0 : tfbytes[r] == 255 ? 1e-300 : tfbytes[r] / 254.0;
	for (size_t i = 0; i < n; i++)
	{
		double		w = cdm_fs_weight(m, pat[i]);
		double		wt = cdm_fs_weight_tf(m, pat[i], tf);
		double		prior = cdm_fs_role_weights(m, pat[i], tf, out);
		double		sum = prior;
		double		p = cdm_fs_probability(wt);

		for (int r = 0; r < m->nroles; r++)
			sum += out[r];
		FUZZ_CHECK(isfinite(w) && isfinite(wt), "weight %.17g / %.17g", w, wt);
		FUZZ_CHECK(fabs(sum - wt) <= 1e-9 * (1.0 + fabs(wt)),
				   "prior + role weights %.17g, weight %.17g", sum, wt);
		FUZZ_CHECK(p >= 0.0 && p <= 1.0, "probability %.17g of %.17g", p, wt);
		FUZZ_CHECK(cdm_fs_weight_tf(m, pat[i], NULL) == w, "weight_tf without tf differs");
	}
}

static void
check_training(CdmFsModel *m, uint64_t *pat, size_t n)
{
	uint64_t   *counts = malloc((n + 1) * sizeof(uint64_t));
	uint64_t   *copy = malloc((n + 1) * sizeof(uint64_t));
	size_t		k;
	uint64_t	total = 0;
	int			it;

	memcpy(copy, pat, n * sizeof(uint64_t));
	k = cdm_fs_compact(copy, n, counts);
	FUZZ_CHECK(k <= n && (n == 0 || k > 0), "compact: %zu of %zu", k, n);
	for (size_t i = 0; i < k; i++)
	{
		FUZZ_CHECK(i == 0 || copy[i - 1] < copy[i], "compact: not ascending at %zu", i);
		FUZZ_CHECK(counts[i] > 0, "compact: count 0");
		total += counts[i];
	}
	FUZZ_CHECK(total == n, "compact: counts sum to %llu of %zu", (unsigned long long) total, n);
	for (size_t i = 0; i < n; i++)
	{
		size_t		lo = 0,
					hi = k;

		while (lo < hi)
		{
			size_t		mid = (lo + hi) / 2;

			if (copy[mid] < pat[i])
				lo = mid + 1;
			else
				hi = mid;
		}
		FUZZ_CHECK(lo < k && copy[lo] == pat[i], "compact lost a pattern");
	}

	(void) cdm_fs_estimate_u(m, copy, counts, k);
	FUZZ_CHECK(cdm_fs_model_prepare(m), "model invalid after estimate_u");
	it = cdm_fs_em(m, copy, counts, k, 3, 1e-9);
	FUZZ_CHECK(it >= 0, "EM refused a valid model");
	FUZZ_CHECK(cdm_fs_model_prepare(m), "model invalid after EM");
	FUZZ_CHECK(m->lambda >= CDM_FS_LAMBDA_MIN && m->lambda <= CDM_FS_LAMBDA_MAX,
			   "lambda %.17g after EM", m->lambda);
	free(copy);
	free(counts);
}

/* A flat model from bytes: header, then per role levels, tf, m, u. */
static size_t
structured_flat(const uint8_t *p, size_t len, double *out, size_t cap)
{
	size_t		k = 0;

	for (size_t i = 0; i < len && k < cap; i++)
	{
		if (k == 0)
			out[k++] = 1.0;
		if (k == 1)
			out[k++] = 1 + p[i] % 16;
		else if (k < 4)
			out[k++] = (p[i] + 1) / 258.0;
		else
			out[k++] = p[i] < 32 ? (double) (p[i] % 17) : (p[i] - 31) / 224.0;
	}
	return k;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FuzzInput	in;
	CdmFsModel *m = malloc(sizeof(CdmFsModel));
	bool		ok = false;
	size_t		npat;
	uint64_t   *pat;
	uint8_t		tfbytes[CDM_FS_MAX_ROLES] = {0};

	fuzz_split(data, size, 2, &in);
	switch (in.opt & 3)
	{
		case 0:
			{
				char	   *text = fuzz_cstring(in.p[0], in.len[0]);

				ok = cdm_fs_model_from_text(m, text);
				free(text);
			}
			break;
		case 1:
			{
				size_t		n = in.len[0] / sizeof(double);
				double	   *flat = malloc((n + 1) * sizeof(double));

				memcpy(flat, in.p[0], n * sizeof(double));
				ok = cdm_fs_model_from_flat(m, flat, n);
				free(flat);
			}
			break;
		case 2:
			{
				double	   *flat = malloc((in.len[0] + 2) * sizeof(double));
				size_t		n = structured_flat((const uint8_t *) in.p[0], in.len[0], flat,
												in.len[0] + 2);

				ok = cdm_fs_model_from_flat(m, flat, n);
				free(flat);
			}
			break;
		default:
			cdm_match_model_init(m);
			ok = cdm_fs_model_prepare(m);
			FUZZ_CHECK(ok, "cdm_match_model_init gave an invalid model");
			break;
	}
	if (!ok)
	{
		free(m);
		return 0;
	}
	FUZZ_CHECK(cdm_fs_model_prepare(m), "a loaded model is not valid");
	check_round_trips(m);

	npat = in.len[1] / 8;
	pat = malloc((npat + 1) * sizeof(uint64_t));
	memcpy(pat, in.p[1], npat * 8);
	memcpy(tfbytes, in.p[1], in.len[1] < sizeof(tfbytes) ? in.len[1] : sizeof(tfbytes));
	check_scoring(m, pat, npat, tfbytes);
	check_training(m, pat, npat);
	check_round_trips(m);
	free(pat);
	free(m);
	return 0;
}
