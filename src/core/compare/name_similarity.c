/*
 * name_similarity.c - word matching for cdm.name_similarity (the model is
 * described in name_similarity.h).
 */
#include "name_similarity.h"

#include <string.h>

#include "dmetaphone.h"
#include "jaro.h"
#include "nickname.h"

/* Jaro-Winkler without workspace handles up to 64 code points. */
#define WORD_MAX 64

#define AGREE_NICKNAME 0.95
#define AGREE_INITIAL 0.7
#define DMETAPHONE_BOOST 0.05
#define SUFFIX_CONFLICT 0.6
#define MINOR_UNMATCHED 0.3		/* middle names, particles */
#define CURVE_KEEP 0.85			/* agreement curve: kept from here up */

typedef struct Word
{
	const cdm_char *s;
	size_t		n;
	double		weight;
	bool		minor;			/* a middle name or a particle */
	bool		ascii;
	char		key[CDM_NICKNAME_MAX_LEN + 1];	/* when ascii */
	char		dm[2][CDM_DMETAPHONE_MAXLEN + 1];
} Word;

typedef struct Words
{
	Word		w[CDM_NAME_SIM_MAX_WORDS];
	size_t		n;
	int			generation;		/* 0, or which generational suffix */
} Words;

static const char *const generations[] = {"jr", "sr", "ii", "iii", "iv", "v"};

static int
generation_of(const char *w)
{
	if (strcmp(w, "jnr") == 0)
		w = "jr";
	else if (strcmp(w, "snr") == 0)
		w = "sr";
	for (int i = 0; i < (int) (sizeof(generations) / sizeof(generations[0])); i++)
	{
		if (strcmp(w, generations[i]) == 0)
			return i + 1;
	}
	return 0;
}

static void
add_word(Words *ws, const cdm_char *s, size_t n, const CdmNameToken *t)
{
	Word	   *w;

	if (ws->n >= CDM_NAME_SIM_MAX_WORDS || n == 0)
		return;
	w = &ws->w[ws->n++];
	w->s = s;
	w->n = n < WORD_MAX ? n : WORD_MAX;
	w->minor = t->role == CDM_NAME_MIDDLE || t->particle;
	w->weight = (w->n == 1 ? 0.5 : w->n == 2 ? 0.7 : 1.0) * (w->minor ? 0.5 : 1.0);
	w->ascii = w->n <= CDM_NICKNAME_MAX_LEN;
	for (size_t i = 0; i < w->n && w->ascii; i++)
	{
		w->ascii = s[i] < 128;
		w->key[i] = (char) s[i];
	}
	if (w->ascii)
	{
		w->key[w->n] = '\0';
		cdm_dmetaphone(w->s, w->n, w->dm[0], w->dm[1]);
	}
	else
		w->dm[0][0] = w->dm[1][0] = '\0';
}

/* The words of the given, middle and family names; the generational suffix. */
static void
collect(const CdmName *name, Words *ws)
{
	ws->n = 0;
	ws->generation = 0;
	for (size_t k = 0; k < name->ntok; k++)
	{
		const CdmNameToken *t = &name->tok[k];
		const cdm_char *s = name->buf + t->off;
		size_t		start = 0;

		if (t->role == CDM_NAME_SUFFIX)
		{
			char		w[16];

			cdm_name_token_word(name, k, w);
			if (ws->generation == 0)
				ws->generation = generation_of(w);
			continue;
		}
		if (t->role == CDM_NAME_TITLE)
			continue;
		/* a token may hold several words: "garcia lopez", "wang xiao ming" */
		for (size_t i = 0; i <= t->len; i++)
		{
			if (i == t->len || s[i] == ' ')
			{
				add_word(ws, s + start, i - start, t);
				start = i + 1;
			}
		}
	}
}

static bool
metaphones_agree(const Word *x, const Word *y)
{
	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 2; j++)
			if (x->dm[i][0] && strcmp(x->dm[i], y->dm[j]) == 0)
				return true;
	return false;
}

/* Keeps close spellings, sends loose resemblance (john ~ jane) towards 0. */
static double
agreement_curve(double s)
{
	double		t;

	if (s >= CURVE_KEEP)
		return s;
	if (s <= 0.5)
		return 0.0;
	t = (s - 0.5) / (CURVE_KEEP - 0.5);
	return CURVE_KEEP * t * t;
}

static double
word_agreement(const Word *x, const Word *y)
{
	double		jw;

	if (x->n == y->n && memcmp(x->s, y->s, x->n * sizeof(cdm_char)) == 0)
		return 1.0;
	if (x->n == 1 || y->n == 1)
		return x->s[0] == y->s[0] ? AGREE_INITIAL : 0.0;
	jw = cdm_jaro_winkler(x->s, x->n, y->s, y->n, NULL);
	if (x->ascii && y->ascii && metaphones_agree(x, y))
		jw = jw + DMETAPHONE_BOOST < 1.0 ? jw + DMETAPHONE_BOOST : jw;
	jw = agreement_curve(jw);
	/* jon ~ john is a nickname, and a closer spelling than that says */
	if (jw < AGREE_NICKNAME && x->ascii && y->ascii &&
		cdm_nickname_related(x->key, x->n, y->key, y->n))
		return AGREE_NICKNAME;
	return jw;
}

/*
 * Greedy one-to-one matching: the best remaining pair first (ties: the
 * heavier pair, then the first found).  Returns the score.
 */
static double
match(const Words *a, const Words *b,
	  double agree[CDM_NAME_SIM_MAX_WORDS][CDM_NAME_SIM_MAX_WORDS], bool transpose)
{
	bool		used_a[CDM_NAME_SIM_MAX_WORDS] = {false};
	bool		used_b[CDM_NAME_SIM_MAX_WORDS] = {false};
	double		num = 0.0,
				den = 0.0,
				ua = 0.0,
				ub = 0.0,
				lenient;
	bool		minor_a = false,
				minor_b = false;

	for (;;)
	{
		double		best = 0.0,
					best_w = 0.0;
		size_t		bi = 0,
					bj = 0;

		for (size_t x = 0; x < (transpose ? b->n : a->n); x++)
		{
			for (size_t y = 0; y < (transpose ? a->n : b->n); y++)
			{
				size_t		i = transpose ? y : x,
							j = transpose ? x : y;
				double		pw = (a->w[i].weight + b->w[j].weight) / 2;

				if (used_a[i] || used_b[j])
					continue;
				if (agree[i][j] > best || (agree[i][j] == best && best > 0 && pw > best_w))
				{
					best = agree[i][j];
					best_w = pw;
					bi = i;
					bj = j;
				}
			}
		}
		if (best <= 0.0)
			break;
		used_a[bi] = used_b[bj] = true;
		num += best_w * best;
		den += best_w;
	}
	/*
	 * A middle name or particle one record lacks costs little; when both
	 * have one left over, they disagree and cost in full.
	 */
	for (size_t i = 0; i < a->n; i++)
		minor_a |= !used_a[i] && a->w[i].minor;
	for (size_t j = 0; j < b->n; j++)
		minor_b |= !used_b[j] && b->w[j].minor;
	lenient = minor_a && minor_b ? 1.0 : MINOR_UNMATCHED;
	for (size_t i = 0; i < a->n; i++)
		if (!used_a[i])
			ua += a->w[i].weight / 2 * (a->w[i].minor ? lenient : 1.0);
	for (size_t j = 0; j < b->n; j++)
		if (!used_b[j])
			ub += b->w[j].weight / 2 * (b->w[j].minor ? lenient : 1.0);
	den += ua + ub;				/* in this order sim(a, b) = sim(b, a) exactly */
	return den > 0 ? num / den : 0.0;
}

double
cdm_name_similarity(const CdmName *na, const CdmName *nb)
{
	Words		a,
				b;
	double		agree[CDM_NAME_SIM_MAX_WORDS][CDM_NAME_SIM_MAX_WORDS];
	double		s1,
				s2,
				score;

	CDM_CHECK_INTERRUPTS();
	collect(na, &a);
	collect(nb, &b);
	if (a.n == 0 || b.n == 0)
		return 0.0;
	for (size_t i = 0; i < a.n; i++)
		for (size_t j = 0; j < b.n; j++)
			agree[i][j] = word_agreement(&a.w[i], &b.w[j]);

	/* greedy order depends on which side is scanned first: take the better */
	s1 = match(&a, &b, agree, false);
	s2 = match(&a, &b, agree, true);
	score = s1 > s2 ? s1 : s2;
	if (a.generation && b.generation && a.generation != b.generation)
		score *= SUFFIX_CONFLICT;
	if (score > 1.0)
		score = 1.0;
	return score;
}
