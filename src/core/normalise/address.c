/*
 * address.c - USPS Publication 28 abbreviations in a folded address line.
 *
 * The folded line is cut into words and read left to right as
 *
 *   [house number] [predirectional] street name [suffix] [postdirectional]
 *   [unit designator [range]]...
 *
 * Rules (Pub 28 sections 213, 233, 234, 28x; the guesses are marked):
 *
 * - House number: a first word that starts with a digit, with the
 *   all-digit words right after it (fold turns "123-125" into "123 125"
 *   and "123 1/2" into "123 1 2"; they are kept as they are).
 * - Unit designators (Appendix C2) start the secondary part: from there on
 *   every designator is abbreviated (Apartment -> apt) and everything else
 *   is kept.  A designator word only counts as one where it cannot be part
 *   of the street name (guess): after at least one street word and followed
 *   by a range (a word with a digit, or a single letter: "Apt 4", "Suite
 *   200", "Unit B"), by another designator and its range, or last in the
 *   line right after a suffix or a range ("Main St Rear", "3rd Floor").
 *   Right after the house number, or with no house number ("Apartment 4B"
 *   on its own line), it needs a range.  "#" is a separator to cdm_fold, so
 *   "Apt #4" is "apt 4" and a bare "#4" is just "4".
 * - Predirectional: a directional (Section 233; "North East" as two words
 *   too) right after the house number, when a street name follows it.
 *   When only a suffix (and a postdirectional or a range) follows, the
 *   directional is the name: "123 North St" stays "123 north st" (Pub 28
 *   233.3: a directional that is the street name is not abbreviated).
 * - Suffix (Appendix C1): in the street part, the last word of the first
 *   run of consecutive suffix words that does not start the street name;
 *   Pub 28 234.2 abbreviates only the second of two suffix words, so
 *   "12 Court Street" -> "12 court st", "5 Street Road" -> "5 street rd",
 *   "100 Park Avenue" -> "100 park ave".  A suffix word that starts the
 *   name is the name: "Avenue of the Americas", "Avenue A" and "Highway 66"
 *   keep it spelled out (guess: USPS files write AVENUE A that way).  The
 *   first run, not the last, so that a city or state after the street
 *   ("Main Street Anytown KY", "... Cheyenne WY") is left alone.
 * - Postdirectional: a directional right after the suffix, or last in the
 *   street part when there is no suffix ("Broadway East").
 * - Spelled ordinals first..tenth in the street name become 1st..10th
 *   (not Pub 28, which keeps the spelling: a choice, so that "First
 *   Street" and "1st St" meet).
 * - "P O Box", "Post Office Box" and "POBox" become "po box" (Pub 28 281).
 *
 * Every other word is kept as folded; words in other scripts never match.
 * Nothing checks that the address is a US one: "Wallaby Place" (FEBRL,
 * Australian) becomes "wallaby pl", and a German "Straße" is only folded.
 */
#include "address.h"

#include <string.h>

#include "usps_data.h"

#define lengthof(a) (sizeof(a) / sizeof((a)[0]))

/* Longest word in the tables: longer words are not looked up. */
#define USPS_MAX_WORD 16

#define TOK_DIGIT	0x01		/* has a digit */
#define TOK_RANGE	0x02		/* could be a secondary range after a
								 * designator: a digit, one character, or a
								 * spelled ordinal (it will have a digit) */
#define TOK_STRONG	0x04		/* a range even where the designator could
								 * be a street name: not a lone N, S, E, W */
#define TOK_NS		0x08		/* "north" or "south" spelled out */
#define TOK_EW		0x10		/* "east" or "west" spelled out */
#define TOK_NUMBER	0x20		/* a digit, or a spelled ordinal (first) */

typedef struct AddrTok
{
	const char *s;				/* the folded word, or what replaces it */
	uint32_t	len;
	int16_t		suffix;			/* index in cdm_usps_suffixes, or -1 */
	int8_t		unit;			/* index in cdm_usps_units, or -1 */
	int8_t		dir;			/* index in cdm_usps_directionals, or -1 */
	uint8_t		flags;
} AddrTok;

static const CdmUspsWord ordinals[] = {
	{"eighth", "8th", false},
	{"fifth", "5th", false},
	{"first", "1st", false},
	{"fourth", "4th", false},
	{"ninth", "9th", false},
	{"second", "2nd", false},
	{"seventh", "7th", false},
	{"sixth", "6th", false},
	{"tenth", "10th", false},
	{"third", "3rd", false},
};

const CdmUspsWord *
cdm_usps_lookup(const CdmUspsWord *table, size_t n, const char *s, size_t len)
{
	size_t		lo = 0,
				hi = n;

	/*
	 * strncmp stops at a NUL: a word holding one would compare equal to a
	 * shorter table word and w[len] would be read past that word's end.
	 * No table word holds a NUL, so such a word matches nothing.
	 */
	if (len == 0 || len > USPS_MAX_WORD || memchr(s, '\0', len) != NULL)
		return NULL;
	while (lo < hi)
	{
		size_t		mid = (lo + hi) / 2;
		const char *w = table[mid].word;
		int			c = strncmp(w, s, len);

		if (c == 0)
			c = w[len] == '\0' ? 0 : 1;
		if (c == 0)
			return &table[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int
lookup_index(const CdmUspsWord *table, size_t n, const char *s, size_t len)
{
	const CdmUspsWord *w = cdm_usps_lookup(table, n, s, len);

	return w ? (int) (w - table) : -1;
}

static bool
word_is(const AddrTok *t, const char *w)
{
	return t->len == strlen(w) && memcmp(t->s, w, t->len) == 0;
}

static bool
all_digits(const AddrTok *t)
{
	for (uint32_t i = 0; i < t->len; i++)
		if (t->s[i] < '0' || t->s[i] > '9')
			return false;
	return t->len > 0;
}

/* 1st, 22nd, 103rd, 4th: digits and an ordinal ending. */
static bool
is_ordinal_number(const AddrTok *t)
{
	uint32_t	i = 0;

	while (i < t->len && t->s[i] >= '0' && t->s[i] <= '9')
		i++;
	if (i == 0 || t->len - i != 2)
		return false;
	return memcmp(t->s + i, "st", 2) == 0 || memcmp(t->s + i, "nd", 2) == 0 ||
		memcmp(t->s + i, "rd", 2) == 0 || memcmp(t->s + i, "th", 2) == 0;
}

size_t
cdm_address_workspace(size_t len)
{
	return (len / 2 + 2) * sizeof(AddrTok);
}

/* ------------------------------------------------------------ words */

static void
classify(AddrTok *t)
{
	t->suffix = (int16_t) lookup_index(cdm_usps_suffixes, cdm_usps_suffixes_n, t->s, t->len);
	t->unit = (int8_t) lookup_index(cdm_usps_units, cdm_usps_units_n, t->s, t->len);
	t->dir = (int8_t) lookup_index(cdm_usps_directionals, cdm_usps_directionals_n, t->s, t->len);
	t->flags = 0;
	for (uint32_t i = 0; i < t->len; i++)
		if (t->s[i] >= '0' && t->s[i] <= '9')
		{
			t->flags |= TOK_DIGIT;
			break;
		}
	if ((t->flags & TOK_DIGIT) ||
		cdm_usps_lookup(ordinals, lengthof(ordinals), t->s, t->len))
		t->flags |= TOK_NUMBER | TOK_RANGE | TOK_STRONG;
	else if (t->len == 1)
		t->flags |= TOK_RANGE | (t->dir < 0 ? TOK_STRONG : 0);
	if (word_is(t, "north") || word_is(t, "south"))
		t->flags |= TOK_NS;
	if (word_is(t, "east") || word_is(t, "west"))
		t->flags |= TOK_EW;
}

static void
set_text(AddrTok *t, const char *s)
{
	t->s = s;
	t->len = (uint32_t) strlen(s);
}

/*
 * Append the word s[0..len) as a token, merging the post-office-box
 * spellings as they complete.  Returns the new token count.
 */
static size_t
push_word(AddrTok *tok, size_t n, const char *s, size_t len)
{
	AddrTok    *t = &tok[n];

	t->s = s;
	t->len = (uint32_t) len;
	if (word_is(t, "pobox"))
	{
		set_text(t, "po");
		classify(t);
		set_text(&tok[n + 1], "box");
		classify(&tok[n + 1]);
		return n + 2;
	}
	if (word_is(t, "box") && n >= 2 &&
		((word_is(&tok[n - 2], "p") && word_is(&tok[n - 1], "o")) ||
		 (word_is(&tok[n - 2], "post") && word_is(&tok[n - 1], "office"))))
	{
		set_text(&tok[n - 2], "po");
		classify(&tok[n - 2]);
		tok[n - 1] = *t;
		classify(&tok[n - 1]);
		return n;
	}
	classify(t);
	return n + 1;
}

static size_t
tokenize(const char *s, size_t len, AddrTok *tok)
{
	size_t		n = 0;
	size_t		i = 0;
	unsigned	step = 0;

	while (i < len)
	{
		size_t		start;

		if ((++step & (CDM_INTERRUPT_STRIDE - 1)) == 0)
			CDM_CHECK_INTERRUPTS();
		while (i < len && s[i] == ' ')
			i++;
		start = i;
		while (i < len && s[i] != ' ')
			i++;
		if (i > start)
			n = push_word(tok, n, s + start, i - start);
	}
	return n;
}

/* ------------------------------------------------------------ parts */

/*
 * Words of the directional at i (before e): 2 for "north east" and the
 * like, 1 for one word, 0 for none.  *abbr gets its abbreviation.
 */
static int
directional_at(const AddrTok *tok, size_t i, size_t e, int want, const char **abbr)
{
	if (i >= e || tok[i].dir < 0)
		return 0;
	if (want == 2)
	{
		char		key[2];
		const CdmUspsWord *w;

		if (i + 1 >= e || !(tok[i].flags & TOK_NS) || !(tok[i + 1].flags & TOK_EW))
			return 0;
		key[0] = tok[i].s[0];
		key[1] = tok[i + 1].s[0];
		w = cdm_usps_lookup(cdm_usps_directionals, cdm_usps_directionals_n, key, 2);
		if (!w)
			return 0;
		*abbr = w->abbr;
		return 2;
	}
	*abbr = cdm_usps_directionals[tok[i].dir].abbr;
	return 1;
}

/*
 * Does a street name start at r (before e)?  Not when all that is left is
 * one suffix word and then only directionals or numbers: then the word
 * before r was the name ("North St", "North St N", "North Ave 4").
 */
static bool
name_follows(const AddrTok *tok, size_t r, size_t e)
{
	if (r >= e)
		return false;
	if (tok[r].suffix < 0)
		return true;
	for (size_t j = r + 1; j < e; j++)
		if (tok[j].dir < 0 && !(tok[j].flags & TOK_NUMBER))
			return true;
	return false;
}

/* Does a designator at i start the secondary unit part? */
static bool
unit_starts_at(const AddrTok *tok, size_t i, size_t n, size_t hs)
{
	const CdmUspsWord *u = &cdm_usps_units[tok[i].unit];

	/*
	 * First in the street, or also a suffix (KEY, TRAILER): only with a
	 * range that cannot be a directional ("Key W" is a street).
	 */
	if (i == hs || tok[i].suffix >= 0)
		return (i + 1 < n && (tok[i + 1].flags & TOK_STRONG)) ||
			(hs == 0 && n == 1 && !u->range_required);
	if (i + 1 < n && (tok[i + 1].flags & TOK_RANGE))
		return true;
	if (i + 2 < n && tok[i + 1].unit >= 0 && tok[i + 1].suffix < 0 &&
		(tok[i + 2].flags & TOK_RANGE))
		return true;

	/*
	 * Last in the line: after a suffix ("Main St Rear") or a number ("3rd
	 * Floor"), not after a lone letter, which may be a directional.
	 */
	if (i + 1 == n)
		return (i - 1 > hs && tok[i - 1].suffix >= 0) ||
			(tok[i - 1].flags & TOK_NUMBER);
	return false;
}

/* Where the secondary unit part starts (n when there is none). */
static size_t
find_units(const AddrTok *tok, size_t n, size_t hs)
{
	for (size_t i = hs; i < n; i++)
	{
		if ((i & (CDM_INTERRUPT_STRIDE - 1)) == 0)
			CDM_CHECK_INTERRUPTS();
		if (tok[i].unit >= 0 && unit_starts_at(tok, i, n, hs))
			return i;
	}
	return n;
}

/* Replace a directional of dl words at i by abbr (the second word goes). */
static void
abbreviate_directional(AddrTok *tok, size_t i, int dl, const char *abbr)
{
	set_text(&tok[i], abbr);
	if (dl == 2)
		tok[i + 1].len = 0;
}

/* Abbreviate the street part tok[hs..e). */
static void
street(AddrTok *tok, size_t hs, size_t e)
{
	size_t		ns = hs;		/* where the street name starts */
	size_t		k = e;			/* the suffix, e if none */
	const char *abbr = NULL;
	int			dl;
	unsigned	step = 0;

	/* predirectional */
	for (int want = 2; want >= 1; want--)
	{
		dl = directional_at(tok, hs, e, want, &abbr);
		if (dl > 0 && name_follows(tok, hs + dl, e))
		{
			abbreviate_directional(tok, hs, dl, abbr);
			ns = hs + dl;
			break;
		}
	}

	/* suffix: the end of the first run of suffix words past the name start */
	for (size_t i = ns; i < e; i++)
	{
		size_t		j = i;

		if ((++step & (CDM_INTERRUPT_STRIDE - 1)) == 0)
			CDM_CHECK_INTERRUPTS();
		while (j < e && tok[j].suffix >= 0)
			j++;
		if (j > i && j - 1 > ns)
		{
			k = j - 1;
			set_text(&tok[k], cdm_usps_suffixes[tok[k].suffix].abbr);
			break;
		}
		i = j;
	}

	/* postdirectional */
	if (k < e)
	{
		if ((dl = directional_at(tok, k + 1, e, 2, &abbr)) > 0 ||
			(dl = directional_at(tok, k + 1, e, 1, &abbr)) > 0)
			abbreviate_directional(tok, k + 1, dl, abbr);
	}
	else if (e >= 2 && e - 2 > ns && tok[e - 3].unit < 0 &&
			 (dl = directional_at(tok, e - 2, e, 2, &abbr)) > 0)
		abbreviate_directional(tok, e - 2, dl, abbr);
	else if (e >= 1 && e - 1 > ns && tok[e - 2].unit < 0 &&
			 (dl = directional_at(tok, e - 1, e, 1, &abbr)) > 0)
		abbreviate_directional(tok, e - 1, dl, abbr);

	/* spelled ordinals in the name */
	for (size_t i = ns; i < e; i++)
	{
		const CdmUspsWord *w;

		if (i == k || tok[i].len == 0)
			continue;
		w = cdm_usps_lookup(ordinals, lengthof(ordinals), tok[i].s, tok[i].len);
		if (w)
			set_text(&tok[i], w->abbr);
	}
}

/* ------------------------------------------------------------ main */

static void
put(char *out, size_t cap, size_t *n, const char *s, size_t len)
{
	if (*n + len <= cap)
		memcpy(out + *n, s, len);
	*n += len;
}

size_t
cdm_address_norm_folded(const char *s, size_t len, char *out, size_t cap, void *ws)
{
	AddrTok    *tok = (AddrTok *) ws;
	size_t		n = tokenize(s, len, tok);
	size_t		hs = 0;
	size_t		u;
	size_t		m = 0;

	/* house number ("1st Street" has none) */
	if (n > 0 && (tok[0].s[0] >= '0' && tok[0].s[0] <= '9') && !is_ordinal_number(&tok[0]))
	{
		hs = 1;
		while (hs < n && all_digits(&tok[hs]))
			hs++;
	}
	u = find_units(tok, n, hs);
	street(tok, hs, u);
	for (size_t i = u; i < n; i++)
		if (tok[i].unit >= 0)
			set_text(&tok[i], cdm_usps_units[tok[i].unit].abbr);

	for (size_t i = 0; i < n; i++)
	{
		if (tok[i].len == 0)
			continue;
		if (m > 0)
			put(out, cap, &m, " ", 1);
		put(out, cap, &m, tok[i].s, tok[i].len);
	}
	return m;
}
