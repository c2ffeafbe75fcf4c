/*
 * fold.c - NFKC_Casefold, transliteration to ASCII, separators collapsed.
 */
#include "fold.h"

#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>

#include "translit.h"
#include "utf16.h"

bool		cdm_fold_use_tables = true;

/* ------------------------------------------------------------ ASCII */

static inline bool
ascii_alnum(unsigned c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static inline unsigned
ascii_lower(unsigned c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

size_t
cdm_fold_ascii(const char *s, size_t len, char *out)
{
	size_t		n = 0;
	bool		sep = false;

	for (size_t i = 0; i < len; i++)
	{
		unsigned	c = (unsigned char) s[i];

		if (ascii_alnum(c))
		{
			if (sep && n > 0)
				out[n++] = ' ';
			sep = false;
			out[n++] = (char) ascii_lower(c);
		}
		else
			sep = true;
	}
	return n;
}

/* ------------------------------------------------------------ output */

/* Collapses separators as it goes; counts past cap so the caller can retry. */
typedef struct Output
{
	cdm_char   *out;
	size_t		cap;
	ptrdiff_t	n;
	bool		sep;			/* a separator is pending */
	cdm_char	last;			/* the last character put */
} Output;

static inline void
put(Output *o, cdm_char c)
{
	if (o->sep && o->n > 0)
	{
		if ((size_t) o->n < o->cap)
			o->out[o->n] = ' ';
		o->n++;
	}
	o->sep = false;
	if ((size_t) o->n < o->cap)
		o->out[o->n] = c;
	o->n++;
	o->last = c;
}

/* ------------------------------------------------------------ Latin table */

/*
 * Most non-ASCII names are Latin letters with diacritics.  For those the
 * whole pipeline on one character is context-free once the text is case
 * folded (Latin-ASCII's context rules only concern capitals: Æsir), so the
 * result for each of U+0080..U+024F and U+1E00..U+1EFF is computed once,
 * by ICU itself, and looked up afterwards.  An entry is up to 4 ASCII
 * characters, ' ' standing for a separator; an empty entry means "not in
 * the table" (the piece then goes through ICU).
 */
#define TABLE_ENTRY 4
#define RANGE1_LO 0x0080
#define RANGE1_HI 0x0250
#define RANGE2_LO 0x1E00
#define RANGE2_HI 0x1F00

static char latin_table[(RANGE1_HI - RANGE1_LO) + (RANGE2_HI - RANGE2_LO)][TABLE_ENTRY];
static bool latin_table_ready;

static ptrdiff_t fold_icu(const cdm_char *in, size_t n, Output *o, const char **err);

static inline int
table_index(cdm_char c)
{
	if (c >= RANGE1_LO && c < RANGE1_HI)
		return (int) (c - RANGE1_LO);
	if (c >= RANGE2_LO && c < RANGE2_HI)
		return (int) (c - RANGE2_LO) + (RANGE1_HI - RANGE1_LO);
	return -1;
}

/*
 * A Latin letter left over by transliteration (it happens next to marks of
 * other scripts) still folds the way it does on its own.
 */
static bool
put_from_table(Output *o, cdm_char c)
{
	int			ix = table_index(c);
	const char *e;

	if (!latin_table_ready || ix < 0 || latin_table[ix][0] == '\0')
		return false;
	e = latin_table[ix];
	for (int k = 0; k < TABLE_ENTRY && e[k]; k++)
	{
		if (e[k] == ' ')
			o->sep = true;
		else
			put(o, (cdm_char) e[k]);
	}
	return true;
}

/* One character after transliteration: kept (folded), or a separator. */
static void
put_folded(Output *o, cdm_char c)
{
	if (c < 128)
	{
		if (ascii_alnum(c))
			put(o, ascii_lower(c));
		else
			o->sep = true;
		return;
	}
	if (put_from_table(o, c))
		return;
	switch (u_charType((UChar32) c))
	{
		case U_UPPERCASE_LETTER:
		case U_LOWERCASE_LETTER:
		case U_TITLECASE_LETTER:
		case U_MODIFIER_LETTER:
		case U_OTHER_LETTER:
		case U_LETTER_NUMBER:
		case U_OTHER_NUMBER:
			put(o, (cdm_char) u_foldCase((UChar32) c, U_FOLD_CASE_DEFAULT));
			break;
		case U_NON_SPACING_MARK:
		case U_COMBINING_SPACING_MARK:
		case U_ENCLOSING_MARK:
			/*
			 * A mark belongs to the letter before it.  Alone, or on a letter
			 * already made ASCII, it is dropped (as Latin-ASCII drops
			 * accents), so folding twice gives what folding once gave.
			 */
			if (o->n > 0 && !o->sep && o->last >= 128)
				put(o, c);
			break;
		case U_DECIMAL_DIGIT_NUMBER:
			/* digits of any script: phone numbers and house numbers compare */
			put(o, (cdm_char) ('0' + u_charDigitValue((UChar32) c)));
			break;
		default:
			o->sep = true;		/* punctuation, symbols, spaces, controls */
			break;
	}
}

static bool
build_latin_table(const char **err)
{
	static const cdm_char ranges[2][2] = {{RANGE1_LO, RANGE1_HI}, {RANGE2_LO, RANGE2_HI}};

	for (int r = 0; r < 2; r++)
	{
		for (cdm_char c = ranges[r][0]; c < ranges[r][1]; c++)
		{
			cdm_char	buf[16];
			Output		o = {buf, 16, 0, false, 0};
			char	   *e = latin_table[table_index(c)];
			bool		ok = true;
			int			k = 0;

			/* "x" + c + "x": trailing and leading separators show as ' ' */
			cdm_char	probe[3] = {'x', c, 'x'};

			if (fold_icu(probe, 3, &o, err) < 0)
				return false;
			if (o.n < 2 || o.n > TABLE_ENTRY + 2 || buf[0] != 'x' || buf[o.n - 1] != 'x')
				ok = false;
			for (ptrdiff_t i = 1; ok && i < o.n - 1; i++)
			{
				if (buf[i] >= 128)
					ok = false;
				else
					e[k++] = (char) buf[i];
			}
			if (!ok || o.n == 2)	/* not ASCII, too long, or vanished */
				memset(e, 0, TABLE_ENTRY);
		}
	}
	latin_table_ready = true;
	return true;
}

/*
 * The table covers this piece if every character is ASCII or has an entry.
 * A character that vanished entirely (entry "\0...") is not covered: those
 * are rare and ICU handles them.
 */
static bool
fold_by_table(const cdm_char *in, size_t n, Output *o)
{
	Output		save = *o;

	for (size_t i = 0; i < n; i++)
	{
		if (in[i] < 128)
			put_folded(o, in[i]);
		else if (!put_from_table(o, in[i]))
		{
			*o = save;
			return false;
		}
	}
	return true;
}

/* ------------------------------------------------------------ ICU path */

/*
 * Pieces are at most PIECE_MAX code points (cut where normalisation allows),
 * so every buffer lives on the stack: NFKC expands a code point into at most
 * 18, and transliteration rarely more than 8-fold; a piece that outgrows a
 * buffer is halved.
 */
#define PIECE_MAX 64
#define PIECE_HARD_MAX 128
#define NORM_BUF (PIECE_HARD_MAX * 2 * 18)
#define TRANS_BUF 4096

static const UNormalizer2 *
nfkc_cf(const char **err)
{
	static const UNormalizer2 *norm;
	UErrorCode	status = U_ZERO_ERROR;

	if (!norm)
	{
		norm = unorm2_getNFKCCasefoldInstance(&status);
		if (U_FAILURE(status))
		{
			norm = NULL;
			*err = u_errorName(status);
		}
	}
	return norm;
}

static ptrdiff_t fold_icu_round(const cdm_char *in, size_t n, Output *o,
							   int round, const char **err);
static ptrdiff_t fold_second_round(const cdm_char *in, size_t n, Output *o,
								   const char **err);

static ptrdiff_t
fold_icu(const cdm_char *in, size_t n, Output *o, const char **err)
{
	return fold_icu_round(in, n, o, 1, err);
}

/* Round 2 over a transliteration, in pieces that fit round 1's buffers. */
static ptrdiff_t
fold_second_round(const cdm_char *in, size_t n, Output *o, const char **err)
{
	const UNormalizer2 *norm = nfkc_cf(err);
	size_t		pos = 0;

	while (pos < n)
	{
		size_t		end = pos + 1;

		while (end < n && end - pos < PIECE_HARD_MAX &&
			   !(end - pos >= PIECE_MAX && unorm2_hasBoundaryBefore(norm, (UChar32) in[end])))
			end++;
		if (fold_icu_round(in + pos, end - pos, o, 2, err) < 0)
			return -1;
		pos = end;
	}
	return o->n;
}

/*
 * One round: NFKC_Casefold, then transliteration.  Transliteration can leave
 * characters that are not normalised (superscript letters, marks out of
 * order), so text that is not all ASCII after round 1 gets a second round,
 * which makes folding idempotent: fold(fold(x)) = fold(x).
 */
static ptrdiff_t
fold_icu_round(const cdm_char *in, size_t n, Output *o, int round,
			   const char **err)
{
	const UNormalizer2 *norm = nfkc_cf(err);
	UChar		src[PIECE_HARD_MAX * 2];
	UChar		dst[NORM_BUF];
	cdm_char	cps[NORM_BUF];
	cdm_char	trans[TRANS_BUF];
	int32_t		len = 0;
	int32_t		m;
	size_t		k = 0;
	ptrdiff_t	t;
	UErrorCode	status = U_ZERO_ERROR;

	if (!norm)
		return -1;
	len = (int32_t) cdm_utf16_encode(in, n, src);
	m = unorm2_normalize(norm, src, len, dst, NORM_BUF, &status);
	if (U_FAILURE(status))
	{
		*err = u_errorName(status);
		return -1;
	}
	k = cdm_utf16_decode(dst, (size_t) m, cps);
	/*
	 * Latin-ASCII costs more than the script's own transliterator, and the
	 * Latin table already knows what it does to each letter of case-folded
	 * text: when Any-Latin alone gives only letters the table covers, use
	 * the table; otherwise run the whole chain.
	 */
	if (cdm_fold_use_tables && latin_table_ready)
	{
		t = cdm_translit(CDM_TRANSLIT_LATIN, cps, k, trans, TRANS_BUF, err);
		if (t < 0)
			return -1;
		if (t <= TRANS_BUF)
		{
			Output		save = *o;
			bool		covered = true;

			for (ptrdiff_t i = 0; i < t && covered; i++)
			{
				if (trans[i] < 128)
					put_folded(o, trans[i]);
				else
					covered = put_from_table(o, trans[i]);
			}
			if (covered)
				return o->n;
			*o = save;
		}
	}
	t = cdm_translit(CDM_TRANSLIT_ASCII, cps, k, trans, TRANS_BUF, err);
	if (t < 0)
		return -1;
	if (t > TRANS_BUF)
	{
		if (n < 2)
		{
			*err = "transliteration of one character too long";
			return -1;
		}
		return fold_icu_round(in, n / 2, o, round, err) < 0 ? -1 :
			fold_icu_round(in + n / 2, n - n / 2, o, round, err);
	}
	if (round == 1)
	{
		for (ptrdiff_t i = 0; i < t; i++)
		{
			if (trans[i] >= 128)
				return fold_second_round(trans, (size_t) t, o, err);
		}
	}
	for (ptrdiff_t i = 0; i < t; i++)
		put_folded(o, trans[i]);
	return o->n;
}

/* ------------------------------------------------------------ word cache */

/*
 * ICU transliteration costs microseconds a word, and customer names repeat
 * (a million customers share a few tens of thousands of given and family
 * names), so the folding of recent non-Latin words is remembered: a
 * direct-mapped cache, per process, of words of at most CACHE_KEY code
 * points that stand between separators.  A hit replays exactly what ICU
 * produced for that word, separators included, so results do not depend on
 * the cache.
 */
#define CACHE_SLOTS 4096
#define CACHE_KEY 16
#define CACHE_VAL 28

typedef struct CacheEntry
{
	uint8_t		klen;			/* 0: empty slot */
	uint8_t		vlen;
	bool		lead_sep;
	bool		trail_sep;
	cdm_char	key[CACHE_KEY];
	cdm_char	val[CACHE_VAL]; /* ' ' stands for a separator */
} CacheEntry;

static CacheEntry word_cache[CACHE_SLOTS];
bool		cdm_fold_use_cache = true;

static inline uint32_t
word_hash(const cdm_char *in, size_t n)
{
	uint32_t	h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ in[i]) * 16777619u;
	return h ^ (h >> 15);
}

static void
replay(Output *o, const CacheEntry *e)
{
	if (e->lead_sep)
		o->sep = true;
	for (int i = 0; i < e->vlen; i++)
	{
		if (e->val[i] == ' ')
			o->sep = true;
		else
			put(o, e->val[i]);
	}
	if (e->trail_sep)
		o->sep = true;
}

/* A whole word (separators or the ends of the text on both sides) via ICU. */
static ptrdiff_t
fold_word(const cdm_char *in, size_t n, Output *o, const char **err)
{
	CacheEntry *e;
	cdm_char	buf[CACHE_VAL + 1];
	Output		tmp = {buf, CACHE_VAL + 1, 1, false, 'x'};

	if (!cdm_fold_use_cache || n > CACHE_KEY)
		return fold_icu(in, n, o, err);
	e = &word_cache[word_hash(in, n) % CACHE_SLOTS];
	if (e->klen == n && memcmp(e->key, in, n * sizeof(cdm_char)) == 0)
	{
		replay(o, e);
		return o->n;
	}

	/*
	 * Fold into a scratch output behind an ASCII sentinel: a separator the
	 * word starts with then shows as a ' ', and a mark it starts with is
	 * dropped, exactly as after a separator in the real output.
	 */
	buf[0] = 'x';
	if (fold_icu(in, n, &tmp, err) < 0)
		return -1;
	if (tmp.n > CACHE_VAL + 1)
		return fold_icu(in, n, o, err);
	e->klen = 0;
	e->lead_sep = tmp.n > 1 && buf[1] == ' ';
	e->vlen = (uint8_t) (tmp.n - 1 - (e->lead_sep ? 1 : 0));
	memcpy(e->val, buf + 1 + (e->lead_sep ? 1 : 0), e->vlen * sizeof(cdm_char));
	e->trail_sep = tmp.sep;
	memcpy(e->key, in, n * sizeof(cdm_char));
	e->klen = (uint8_t) n;
	replay(o, e);
	return o->n;
}

/* ------------------------------------------------------------ driver */

static inline bool
ascii_separator(cdm_char c)
{
	return c < 128 && !ascii_alnum(c);
}

ptrdiff_t
cdm_fold(const cdm_char *in, size_t n, cdm_char *out, size_t cap,
		 const char **err)
{
	Output		o = {out, cap, 0, false, 0};
	const UNormalizer2 *norm;
	size_t		pos = 0;
	size_t		pieces = 0;

	*err = NULL;
	norm = nfkc_cf(err);
	if (!norm)
		return -1;
	if (!latin_table_ready && !build_latin_table(err))
		return -1;

	while (pos < n)
	{
		size_t		end = pos;
		bool		ascii = true;

		if (ascii_separator(in[pos]))
		{
			o.sep = true;
			pos++;
			continue;
		}
		/*
		 * A piece runs to the next ASCII separator; a long one is cut where
		 * the next character starts a new normalisation segment.
		 */
		while (end < n && !ascii_separator(in[end]))
		{
			if (end - pos >= PIECE_HARD_MAX ||
				(end - pos >= PIECE_MAX && unorm2_hasBoundaryBefore(norm, (UChar32) in[end])))
				break;
			ascii &= in[end++] < 128;
		}
		if (ascii)
		{
			for (size_t i = pos; i < end; i++)
				put(&o, ascii_lower(in[i]));
		}
		else if (!(cdm_fold_use_tables && fold_by_table(in + pos, end - pos, &o)))
		{
			/* a whole word can be cached; a piece of a very long one cannot */
			bool		whole = (pos == 0 || ascii_separator(in[pos - 1])) &&
				(end == n || ascii_separator(in[end]));

			if ((whole ? fold_word(in + pos, end - pos, &o, err) :
				 fold_icu(in + pos, end - pos, &o, err)) < 0)
				return -1;
		}
		pos = end;
		if ((++pieces & 63) == 0)
			CDM_CHECK_INTERRUPTS();
	}
	return o.n;
}
