/*
 * fuzz_phonetic.c - compare/: Soundex, Metaphone, Double Metaphone,
 * NYSIIS and Daitch-Mokotoff, fed as the SQL skin feeds them (ASCII as
 * it is, anything else through cdm_translit with the algorithm's
 * profile) and also raw, since each is documented to skip what it does
 * not code; and cdm_translit itself.
 *
 * Input: option byte (bits 0-3: max_len for Metaphone and NYSIIS, 0 = no
 * limit; bit 4: feed the raw bytes as code points when they are not
 * UTF-8), then the text.
 *
 * Invariants:
 *   - translit: a retry with exactly the length it asked for gives that
 *     length again, the same as with ample room, and a too-small buffer is
 *     never written past its end;
 *   - every code fits the buffer its header documents (the buffers here
 *     are exactly that size), is NUL-terminated, uses only the code's own
 *     alphabet, and does not depend on the case of ASCII letters;
 *   - Soundex, NYSIIS and Daitch-Mokotoff ignore what is not a letter:
 *     dropping those code points changes nothing;
 *   - Metaphone and NYSIIS with max_len k give the first k characters of
 *     the untruncated code;
 *   - Daitch-Mokotoff: a small buffer gives -1 and the count, the exact
 *     count then fills it, and the small buffer held its first codes; codes are six digits, ascending and distinct;
 *     the first-branch code is one of them; no code iff no letter.
 */
#include "fuzz.h"

#include <ctype.h>

#include "daitch_mokotoff.h"
#include "dmetaphone.h"
#include "metaphone.h"
#include "nysiis.h"
#include "soundex.h"
#include "translit.h"

/* cdm_translit into an exact-size malloc'd buffer, checking the retry rule. */
static cdm_char *
translit(CdmTranslitProfile profile, const cdm_char *in, size_t n, size_t *outn)
{
	const char *err = NULL;
	size_t		cap = n / 2;
	cdm_char   *out = fuzz_work(cap * sizeof(cdm_char), false);
	ptrdiff_t	k = cdm_translit(profile, in, n, out, cap, &err);
	ptrdiff_t	k2;

	FUZZ_CHECK(k >= 0, "cdm_translit failed: %s", err ? err : "?");
	if ((size_t) k > cap)
	{
		free(out);
		cap = (size_t) k;
		out = fuzz_work(cap * sizeof(cdm_char), false);
		k2 = cdm_translit(profile, in, n, out, cap, &err);
		FUZZ_CHECK(k2 == k, "translit asked for %td, then gave %td", k, k2);
	}
	/* with plenty of room: the same result */
	{
		size_t		big = 4 * n + 64;
		cdm_char   *o2 = malloc(big * sizeof(cdm_char));

		if ((size_t) k <= big)
		{
			k2 = cdm_translit(profile, in, n, o2, big, &err);
			FUZZ_CHECK(k2 == k && (k == 0 || memcmp(o2, out, (size_t) k * sizeof(cdm_char)) == 0),
					   "translit differs with more room (%td vs %td)", k, k2);
		}
		free(o2);
	}
	*outn = (size_t) k;
	return out;
}

/* The skin's phonetic_input: ASCII straight, the rest transliterated. */
static cdm_char *
phonetic_input(CdmTranslitProfile profile, const cdm_char *cp, size_t n, size_t *outn)
{
	bool		ascii = true;
	cdm_char   *out;

	for (size_t i = 0; i < n; i++)
		ascii &= cp[i] < 128;
	if (!ascii)
		return translit(profile, cp, n, outn);
	out = fuzz_work(n * sizeof(cdm_char), false);
	memcpy(out, cp, n * sizeof(cdm_char));
	*outn = n;
	return out;
}

static bool
is_ascii_letter(cdm_char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* Copies with ASCII letters in upper and in lower case. */
static cdm_char *
recase(const cdm_char *s, size_t n, bool upper)
{
	cdm_char   *out = fuzz_work(n * sizeof(cdm_char), false);

	for (size_t i = 0; i < n; i++)
		out[i] = is_ascii_letter(s[i]) ? (upper ? (cdm_char) toupper((int) s[i]) : (cdm_char) tolower((int) s[i])) : s[i];
	return out;
}

/* Only the code points keep() accepts. */
static cdm_char *
only(const cdm_char *s, size_t n, bool (*keep) (cdm_char), size_t *outn)
{
	cdm_char   *out = fuzz_work(n * sizeof(cdm_char), false);
	size_t		k = 0;

	for (size_t i = 0; i < n; i++)
		if (keep(s[i]))
			out[k++] = s[i];
	*outn = k;
	return out;
}

static bool
dm_letter(cdm_char c)
{
	return is_ascii_letter(c) || c == 0x104 || c == 0x105 || c == 0x118 || c == 0x119 ||
		c == 0x162 || c == 0x163 || c == 0x21A || c == 0x21B;
}

static void
check_alphabet(const char *code, size_t len, const char *alphabet, const char *what)
{
	FUZZ_CHECK(strlen(code) == len, "%s: length %zu, strlen %zu", what, len, strlen(code));
	for (size_t i = 0; i < len; i++)
		FUZZ_CHECK(strchr(alphabet, code[i]) != NULL, "%s: '%c' in \"%s\"", what, code[i], code);
}

static void
soundex(const cdm_char *s, size_t n)
{
	char	   *code = malloc(5);
	char	   *other = malloc(5);
	cdm_char   *t;
	size_t		tn;

	cdm_soundex(s, n, code);
	FUZZ_CHECK(code[0] == '\0' ||
			   (strlen(code) == 4 && code[0] >= 'A' && code[0] <= 'Z' &&
				strspn(code + 1, "0123456") == 3),
			   "soundex \"%s\"", code);
	t = only(s, n, is_ascii_letter, &tn);
	cdm_soundex(t, tn, other);
	FUZZ_CHECK(strcmp(code, other) == 0, "soundex \"%s\", of the letters alone \"%s\"", code, other);
	FUZZ_CHECK((code[0] == '\0') == (tn == 0), "soundex \"%s\" with %zu letters", code, tn);
	free(t);
	t = recase(s, n, false);
	cdm_soundex(t, n, other);
	FUZZ_CHECK(strcmp(code, other) == 0, "soundex \"%s\", lower case \"%s\"", code, other);
	free(t);
	free(other);
	free(code);
}

static void
metaphone(const cdm_char *s, size_t n, size_t max_len)
{
	char	   *full = malloc(CDM_METAPHONE_OUT_SIZE(n));
	size_t		len = cdm_metaphone(s, n, 0, full);
	cdm_char   *t;

	check_alphabet(full, len, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0", "metaphone");
	if (max_len > 0)
	{
		char	   *cut = malloc(max_len + 1);
		size_t		k = cdm_metaphone(s, n, max_len, cut);

		FUZZ_CHECK(k == (len < max_len ? len : max_len) && strlen(cut) == k &&
				   memcmp(cut, full, k) == 0,
				   "metaphone max %zu: \"%s\", untruncated \"%s\"", max_len, cut, full);
		free(cut);
	}
	t = recase(s, n, true);
	{
		char	   *up = malloc(CDM_METAPHONE_OUT_SIZE(n));

		cdm_metaphone(t, n, 0, up);
		FUZZ_CHECK(strcmp(up, full) == 0, "metaphone \"%s\", upper case \"%s\"", full, up);
		free(up);
	}
	free(t);
	free(full);
}

static void
dmetaphone(const cdm_char *s, size_t n)
{
	char	   *p = malloc(CDM_DMETAPHONE_MAXLEN + 1);
	char	   *a = malloc(CDM_DMETAPHONE_MAXLEN + 1);
	char	   *p2 = malloc(CDM_DMETAPHONE_MAXLEN + 1);
	char	   *a2 = malloc(CDM_DMETAPHONE_MAXLEN + 1);
	bool		letter = false;
	cdm_char   *t;

	for (size_t i = 0; i < n; i++)
		letter |= is_ascii_letter(s[i]) || s[i] == 0xC7 || s[i] == 0xE7;
	cdm_dmetaphone(s, n, p, a);
	check_alphabet(p, strlen(p), "ABCDEFGHIJKLMNOPQRSTUVWXYZ0", "dmetaphone primary");
	check_alphabet(a, strlen(a), "ABCDEFGHIJKLMNOPQRSTUVWXYZ0", "dmetaphone alternate");
	FUZZ_CHECK(strlen(p) <= CDM_DMETAPHONE_MAXLEN && strlen(a) <= CDM_DMETAPHONE_MAXLEN,
			   "dmetaphone too long");
	FUZZ_CHECK(letter || (p[0] == '\0' && a[0] == '\0'),
			   "dmetaphone of no letter: \"%s\" \"%s\"", p, a);
	t = recase(s, n, false);
	cdm_dmetaphone(t, n, p2, a2);
	FUZZ_CHECK(strcmp(p, p2) == 0 && strcmp(a, a2) == 0,
			   "dmetaphone \"%s\"/\"%s\", lower case \"%s\"/\"%s\"", p, a, p2, a2);
	free(t);
	free(p);
	free(a);
	free(p2);
	free(a2);
}

static void
nysiis(const cdm_char *s, size_t n, size_t max_len)
{
	char	   *full = malloc(CDM_NYSIIS_OUT_SIZE(n));
	size_t		len = cdm_nysiis(s, n, 0, full);
	cdm_char   *t;
	size_t		tn;

	check_alphabet(full, len, "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "nysiis");
	if (max_len > 0)
	{
		char	   *cut = malloc(CDM_NYSIIS_OUT_SIZE(n));
		size_t		k = cdm_nysiis(s, n, max_len, cut);

		FUZZ_CHECK(k == (len < max_len ? len : max_len) && strlen(cut) == k &&
				   memcmp(cut, full, k) == 0,
				   "nysiis max %zu: \"%s\", untruncated \"%s\"", max_len, cut, full);
		free(cut);
	}
	t = only(s, n, is_ascii_letter, &tn);
	{
		char	   *other = malloc(CDM_NYSIIS_OUT_SIZE(tn));

		cdm_nysiis(t, tn, 0, other);
		FUZZ_CHECK(strcmp(other, full) == 0, "nysiis \"%s\", of the letters alone \"%s\"",
				   full, other);
		free(other);
	}
	free(t);
	t = recase(s, n, false);
	{
		char	   *low = malloc(CDM_NYSIIS_OUT_SIZE(n));

		cdm_nysiis(t, n, 0, low);
		FUZZ_CHECK(strcmp(low, full) == 0, "nysiis \"%s\", lower case \"%s\"", full, low);
		free(low);
	}
	free(t);
	free(full);
}

/* All codes, sized as the skin sizes them: a small buffer, then exact. */
static int
dm_codes(const cdm_char *s, size_t n, char (**codes)[7])
{
	char		(*small)[7] = malloc(4 * sizeof(*small));
	int			k = cdm_daitch_mokotoff(s, n, small, 4);
	int			count;
	char		head[4][7];

	if (k >= 0)
	{
		FUZZ_CHECK(k <= 4, "daitch-mokotoff gave %d codes into 4", k);
		*codes = small;
		return k;
	}
	memcpy(head, small, sizeof(head));
	count = cdm_daitch_mokotoff(s, n, NULL, CDM_DM_MAX_CODES);
	FUZZ_CHECK(count > 4 && count <= CDM_DM_MAX_CODES, "daitch-mokotoff count %d after -1", count);
	FUZZ_CHECK(cdm_daitch_mokotoff(s, n, NULL, 0) == count, "count depends on max_codes");
	*codes = realloc(small, (size_t) count * sizeof(*small));
	k = cdm_daitch_mokotoff(s, n, *codes, count);
	FUZZ_CHECK(k == count, "daitch-mokotoff counted %d, then gave %d", count, k);
	/* "codes then holds the first max_codes" */
	FUZZ_CHECK(memcmp(head, *codes, sizeof(head)) == 0,
			   "daitch-mokotoff: the first 4 codes of a full buffer differ");
	return k;
}

static void
daitch_mokotoff(const cdm_char *s, size_t n)
{
	char		(*codes)[7];
	char		(*other)[7];
	char	   *first = malloc(7);
	int			k = dm_codes(s, n, &codes);
	int			f = cdm_daitch_mokotoff_first(s, n, first);
	bool		letter = false;
	bool		found = false;
	cdm_char   *t;
	size_t		tn;

	for (size_t i = 0; i < n; i++)
		letter |= dm_letter(s[i]);
	FUZZ_CHECK((k > 0) == letter && (f == 1) == letter,
			   "daitch-mokotoff: %d codes, first %d, letters %d", k, f, (int) letter);
	for (int i = 0; i < k; i++)
	{
		FUZZ_CHECK(strlen(codes[i]) == 6 && strspn(codes[i], "0123456789") == 6,
				   "daitch-mokotoff code \"%.7s\"", codes[i]);
		FUZZ_CHECK(i == 0 || strcmp(codes[i - 1], codes[i]) < 0,
				   "daitch-mokotoff codes not ascending/distinct: %s, %s", codes[i - 1], codes[i]);
		found |= strcmp(codes[i], first) == 0;
	}
	FUZZ_CHECK(f == 0 ? first[0] == '\0' : found,
			   "daitch-mokotoff first code \"%s\" not among the %d codes", first, k);

	t = only(s, n, dm_letter, &tn);
	FUZZ_CHECK(dm_codes(t, tn, &other) == k, "daitch-mokotoff: letters alone differ in count");
	for (int i = 0; i < k; i++)
		FUZZ_CHECK(strcmp(other[i], codes[i]) == 0, "daitch-mokotoff: letters alone differ");
	free(other);
	free(t);
	t = recase(s, n, true);
	FUZZ_CHECK(dm_codes(t, n, &other) == k, "daitch-mokotoff: upper case differs in count");
	for (int i = 0; i < k; i++)
		FUZZ_CHECK(strcmp(other[i], codes[i]) == 0, "daitch-mokotoff: upper case differs");
	free(other);
	free(t);
	free(first);
	free(codes);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FuzzInput	in;
	cdm_char   *raw,
			   *cp;
	size_t		n,
				cn;
	size_t		max_len;

	fuzz_split(data, size, 1, &in);
	max_len = in.opt & 15;
	if (in.opt & 16)
		raw = fuzz_chars(in.p[0], in.len[0], 0, &n);
	else if ((raw = fuzz_utf8(in.p[0], in.len[0], &n)) == NULL)
		return 0;

	/* the SQL functions: transliterated input */
	cp = phonetic_input(CDM_TRANSLIT_ASCII, raw, n, &cn);
	soundex(cp, cn);
	metaphone(cp, cn, max_len);
	nysiis(cp, cn, max_len);
	free(cp);
	cp = phonetic_input(CDM_TRANSLIT_DMETAPHONE, raw, n, &cn);
	dmetaphone(cp, cn);
	free(cp);
	cp = phonetic_input(CDM_TRANSLIT_DAITCH_MOKOTOFF, raw, n, &cn);
	daitch_mokotoff(cp, cn);
	free(cp);
	cp = translit(CDM_TRANSLIT_LATIN, raw, n, &cn);
	free(cp);

	/* raw code points: everything uncoded must be skipped safely */
	soundex(raw, n);
	metaphone(raw, n, max_len);
	nysiis(raw, n, max_len);
	dmetaphone(raw, n);
	daitch_mokotoff(raw, n);
	free(raw);
	return 0;
}
