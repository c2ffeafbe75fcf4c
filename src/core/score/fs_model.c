/*
 * fs_model.c - Fellegi-Sunter model: validation, derived tables, scoring
 * and the flat / text storage forms.  Training is in fs_em.c.
 */
#include "fs_model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FLAT_FORMAT 1.0

static bool
prob_ok(double p)
{
	return isfinite(p) && p > 0 && p <= 1;
}

bool
cdm_fs_model_prepare(CdmFsModel *model)
{
	if (model->nroles < 1 || model->nroles > CDM_FS_MAX_ROLES)
		return false;
	if (!(model->lambda >= CDM_FS_LAMBDA_MIN && model->lambda <= CDM_FS_LAMBDA_MAX))
		return false;
	if (!prob_ok(model->tf_floor))
		return false;
	for (int r = 0; r < model->nroles; r++)
	{
		CdmFsRole  *role = &model->role[r];

		if (role->nlevels < 2 || role->nlevels > CDM_FS_MAX_LEVELS ||
			role->tf_levels < 0 || role->tf_levels >= role->nlevels)
			return false;
		for (int l = 1; l < role->nlevels; l++)
			if (!prob_ok(role->m[l]) || !prob_ok(role->u[l]))
				return false;
	}
	model->prior_w = log2(model->lambda) - log2(1 - model->lambda);
	for (int r = 0; r < model->nroles; r++)
	{
		CdmFsRole  *role = &model->role[r];

		memset(role->w, 0, sizeof(role->w));
		memset(role->log2u, 0, sizeof(role->log2u));
		memset(role->tf_max, 0, sizeof(role->tf_max));
		role->m[0] = role->u[0] = 0;
		for (int l = 1; l < role->nlevels; l++)
		{
			role->log2u[l] = log2(role->u[l]);
			role->w[l] = log2(role->m[l]) - role->log2u[l];
			/* tf_adjust's value at the floor, the same expression */
			if (l <= role->tf_levels && role->log2u[l] - log2(model->tf_floor) > 0)
				role->tf_max[l] = role->log2u[l] - log2(model->tf_floor);
		}
	}
	return true;
}

/* ---------------------------------------------------------------- scoring */

/* w[] is 0 past nlevels (prepare zeroes all 16), so no range test needed. */
double
cdm_fs_weight(const CdmFsModel *model, uint64_t pattern)
{
	double		w = model->prior_w;

	for (int r = 0; r < model->nroles; r++, pattern >>= 4)
		w += model->role[r].w[pattern & 15];
	return w;
}

static double
tf_adjust(const CdmFsModel *model, const CdmFsRole *role, int level, double tf)
{
	if (level == 0 || level > role->tf_levels || !(tf > 0))
		return 0;
	if (tf < model->tf_floor)
		tf = model->tf_floor;
	return role->log2u[level] - log2(tf);
}

double
cdm_fs_role_weights(const CdmFsModel *model, uint64_t pattern,
					const double *tf, double *out)
{
	for (int r = 0; r < model->nroles; r++, pattern >>= 4)
	{
		const CdmFsRole *role = &model->role[r];
		int			l = (int) (pattern & 15);

		out[r] = role->w[l];
		if (tf)
			out[r] += tf_adjust(model, role, l, tf[r]);
	}
	return model->prior_w;
}

double
cdm_fs_weight_tf(const CdmFsModel *model, uint64_t pattern, const double *tf)
{
	double		w = model->prior_w;

	if (!tf)
		return cdm_fs_weight(model, pattern);
	for (int r = 0; r < model->nroles; r++, pattern >>= 4)
	{
		const CdmFsRole *role = &model->role[r];
		int			l = (int) (pattern & 15);

		w += role->w[l];
		if (role->tf_levels > 0)
			w += tf_adjust(model, role, l, tf[r]);
	}
	return w;
}

double
cdm_fs_weight_tf_max(const CdmFsModel *model, uint64_t pattern)
{
	double		w = model->prior_w;

	/* in cdm_fs_weight_tf's order, each adjustment at its largest */
	for (int r = 0; r < model->nroles; r++, pattern >>= 4)
	{
		const CdmFsRole *role = &model->role[r];
		int			l = (int) (pattern & 15);

		w += role->w[l];
		if (role->tf_max[l] > 0)
			w += role->tf_max[l];
	}
	return w;
}

double
cdm_fs_probability(double w)
{
	if (isnan(w))
		return w;
	if (w >= 0)
		return 1.0 / (1.0 + exp2(-w));
	else
	{
		double		e = exp2(w);

		return e / (1.0 + e);
	}
}

double
cdm_fs_weight_of_probability(double p)
{
	return log2(p) - log2(1 - p);
}

/* ---------------------------------------------------------------- flat form */

size_t
cdm_fs_model_flat_size(const CdmFsModel *model)
{
	size_t		n = 4;

	for (int r = 0; r < model->nroles && r < CDM_FS_MAX_ROLES; r++)
		n += 2 + 2 * (size_t) (model->role[r].nlevels - 1);
	return n;
}

size_t
cdm_fs_model_to_flat(const CdmFsModel *model, double *out, size_t cap)
{
	size_t		need = cdm_fs_model_flat_size(model);
	size_t		k = 0;

	if (need > cap)
		return need;
	out[k++] = FLAT_FORMAT;
	out[k++] = model->nroles;
	out[k++] = model->lambda;
	out[k++] = model->tf_floor;
	for (int r = 0; r < model->nroles; r++)
	{
		const CdmFsRole *role = &model->role[r];

		out[k++] = role->nlevels;
		out[k++] = role->tf_levels;
		for (int l = 1; l < role->nlevels; l++)
			out[k++] = role->m[l];
		for (int l = 1; l < role->nlevels; l++)
			out[k++] = role->u[l];
	}
	return k;
}

/* An integral double in [lo, hi] into *v. */
static bool
flat_int(double d, int lo, int hi, int32_t *v)
{
	if (!(d >= lo && d <= hi) || d != floor(d))
		return false;
	*v = (int32_t) d;
	return true;
}

bool
cdm_fs_model_from_flat(CdmFsModel *model, const double *in, size_t n)
{
	size_t		k = 4;

	memset(model, 0, sizeof(*model));
	if (n < 4 || in[0] != FLAT_FORMAT ||
		!flat_int(in[1], 1, CDM_FS_MAX_ROLES, &model->nroles))
		return false;
	model->lambda = in[2];
	model->tf_floor = in[3];
	for (int r = 0; r < model->nroles; r++)
	{
		CdmFsRole  *role = &model->role[r];

		if (n - k < 2 ||
			!flat_int(in[k], 2, CDM_FS_MAX_LEVELS, &role->nlevels) ||
			!flat_int(in[k + 1], 0, role->nlevels - 1, &role->tf_levels))
			return false;
		k += 2;
		if (n - k < 2 * (size_t) (role->nlevels - 1))
			return false;
		for (int l = 1; l < role->nlevels; l++)
			role->m[l] = in[k++];
		for (int l = 1; l < role->nlevels; l++)
			role->u[l] = in[k++];
	}
	return k == n && cdm_fs_model_prepare(model);
}

/* ---------------------------------------------------------------- text form */

typedef struct TextOut
{
	char	   *out;
	size_t		cap;
	size_t		len;
} TextOut;

static void
put(TextOut *t, const char *fmt, double v)
{
	char		buf[64];
	int			k = snprintf(buf, sizeof(buf), fmt, v);

	for (int i = 0; i < k; i++, t->len++)
		if (t->len + 1 < t->cap)
			t->out[t->len] = buf[i];
}

size_t
cdm_fs_model_to_text(const CdmFsModel *model, char *out, size_t cap)
{
	TextOut		t = {out, cap, 0};

	put(&t, "cdm_fs %.0f\n", FLAT_FORMAT);
	put(&t, "lambda %.17g\n", model->lambda);
	put(&t, "tf_floor %.17g\n", model->tf_floor);
	for (int r = 0; r < model->nroles && r < CDM_FS_MAX_ROLES; r++)
	{
		const CdmFsRole *role = &model->role[r];

		put(&t, "role %.0f", r);
		put(&t, " levels %.0f", role->nlevels);
		put(&t, " tf %.0f", role->tf_levels);
		put(&t, " m", 0);
		for (int l = 1; l < role->nlevels; l++)
			put(&t, " %.17g", role->m[l]);
		put(&t, " u", 0);
		for (int l = 1; l < role->nlevels; l++)
			put(&t, " %.17g", role->u[l]);
		put(&t, "\n", 0);
	}
	if (cap > 0)
		out[t.len < cap ? t.len : cap - 1] = '\0';
	return t.len;
}

static const char *
skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* The next token must be word; advances *p past it. */
static bool
expect(const char **p, const char *word)
{
	const char *s = skip_space(*p);
	size_t		n = strlen(word);

	if (strncmp(s, word, n) != 0 || (s[n] != '\0' && s[n] != ' ' &&
									 s[n] != '\t' && s[n] != '\n' && s[n] != '\r'))
		return false;
	*p = s + n;
	return true;
}

static bool
number(const char **p, double *v)
{
	const char *s = skip_space(*p);
	char	   *end;

	if (*s == '\0')
		return false;
	*v = strtod(s, &end);
	if (end == s)
		return false;
	*p = end;
	return true;
}

static bool
integer(const char **p, int lo, int hi, int32_t *v)
{
	double		d;

	return number(p, &d) && flat_int(d, lo, hi, v);
}

bool
cdm_fs_model_from_text(CdmFsModel *model, const char *text)
{
	const char *p = text;
	int32_t		format,
				idx;
	int			r = 0;

	memset(model, 0, sizeof(*model));
	if (!expect(&p, "cdm_fs") || !integer(&p, 1, 1, &format) ||
		!expect(&p, "lambda") || !number(&p, &model->lambda) ||
		!expect(&p, "tf_floor") || !number(&p, &model->tf_floor))
		return false;
	for (; *skip_space(p) != '\0'; r++)
	{
		CdmFsRole  *role = &model->role[r];

		if (r >= CDM_FS_MAX_ROLES ||
			!expect(&p, "role") || !integer(&p, r, r, &idx) ||
			!expect(&p, "levels") || !integer(&p, 2, CDM_FS_MAX_LEVELS, &role->nlevels) ||
			!expect(&p, "tf") || !integer(&p, 0, role->nlevels - 1, &role->tf_levels) ||
			!expect(&p, "m"))
			return false;
		for (int l = 1; l < role->nlevels; l++)
			if (!number(&p, &role->m[l]))
				return false;
		if (!expect(&p, "u"))
			return false;
		for (int l = 1; l < role->nlevels; l++)
			if (!number(&p, &role->u[l]))
				return false;
	}
	model->nroles = r;
	return cdm_fs_model_prepare(model);
}
