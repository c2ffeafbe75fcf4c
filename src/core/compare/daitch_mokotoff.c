/*
 * daitch_mokotoff.c - Daitch-Mokotoff Soundex (G. Mokotoff and R. Daitch,
 * 1985), every branch.
 *
 * Rules: the coding chart published by JewishGen
 * (https://www.jewishgen.org/InfoFiles/soundex.html) and by G. Mokotoff,
 * "Soundexing and Genealogy" (https://www.avotaynu.com/soundex.htm).  The
 * name is cut into letter groups, longest spelling first; a group is coded
 * by one of three columns: at the start of the name, before a vowel, in any
 * other position.  A few groups have two alternative codings (CH, CK, C, J,
 * RS, RZ and the Polish and Romanian letters): each alternative is a branch
 * and gives its own code.  A code is the first six digits of its branch,
 * padded with 0; a digit equal to the previous one is not repeated unless an
 * uncoded group (a vowel) came between, except that MN and NM code as 66.
 *
 * Where the chart leaves room for reading, cdm does what PostgreSQL's
 * fuzzystrmatch daitch_mokotoff() documents and does (its regression
 * vectors and the talisman and commons-codec ones all pass as sets):
 *  - UE is coded like UI (0, 1, not coded), as all known implementations do
 *    although the chart does not list it (BOUEY is 710000);
 *  - J is either a vowel (1 at the start, otherwise not coded) or a
 *    consonant (4), and the group before a J is coded "before a vowel" only
 *    in J's vowel reading; a vowel is any group whose start code is 0 or 1;
 *  - of a two-digit code only the first digit is compared with the previous
 *    digit (BESST is 743000, as BEST);
 *  - anything that is not a letter is skipped as if absent.
 * commons-codec lists the alternatives of C, CH, RS, RZ (4 first) and of
 * A/E-ogonek (not coded first) the other way round; its order is kept as
 * each group's "primary" alternative, which is all the no-branching
 * cdm_daitch_mokotoff_first() uses, like codec's encode().
 *
 * The algorithm is cdm's own and needs no memory: the codes form a trie of
 * digit strings, walked depth first in ascending digit order.  For a trie
 * node t = d1..dL one pass over the letter groups follows, in step, the
 * branches sitting at each prefix of t (the root, d1, d1d2, ..., t).  A
 * branch's whole state, besides its digits, is whether its last digit may
 * be repeated (it may after an uncoded group) and which kind of group must
 * come next (because the last group was coded assuming it), so a node's
 * branches are a 6-bit set, and a pass is a handful of those.  The pass
 * gives the digits that extend t (t's children) and whether a branch is
 * still at t when the name ends (then t padded with 0 is a code); it stops
 * as soon as no branch is left on t's path.  Most names have 10 to 40 trie
 * nodes; the first DM_CACHE letter groups are cut once and reused by all
 * passes.
 */
#include "daitch_mokotoff.h"

#include <string.h>

#define DM_DIGITS 6
#define DM_MAX_SPELLING 7		/* SCHTSCH */
#define DM_CACHE 64

/* The chart's three columns. */
enum
{
	DM_START,
	DM_VOWEL,					/* before a vowel */
	DM_OTHER
};

/* What the next group must be, for the coding already chosen to hold. */
enum
{
	DM_NEXT_ANY,
	DM_NEXT_VOWEL,
	DM_NEXT_CONSONANT
};

typedef struct DmAlt
{
	char		code[3][3];		/* per column: "" = not coded, or 1-2 digits */
} DmAlt;

typedef struct DmGroup
{
	const char *spelling[4];	/* all with the same first letter */
	int			nalt;
	int			primary;		/* commons-codec's first alternative */
	DmAlt		alt[2];
} DmGroup;

#define ALL(c)	{{c, c, c}}

/*
 * The coding chart (JewishGen / Avotaynu), one row per chart line, written
 * for this file; 'a', 'e' and 't' stand for A-ogonek, E-ogonek and T with
 * cedilla or comma below, and come last so that the rows are in ASCII order
 * of their first letter (dm_read_group binary-searches it).  Columns: start
 * of name, before a vowel, other.
 */
static const DmGroup dm_chart[] = {
	{{"AI", "AJ", "AY"}, 1, 0, {{{"0", "1", ""}}}},
	{{"AU"}, 1, 0, {{{"0", "7", ""}}}},
	{{"A"}, 1, 0, {{{"0", "", ""}}}},
	{{"B"}, 1, 0, {ALL("7")}},
	{{"CHS"}, 1, 0, {{{"5", "54", "54"}}}},
	{{"CH"}, 2, 1, {ALL("5"), ALL("4")}},
	{{"CK"}, 2, 0, {ALL("5"), ALL("45")}},
	{{"CZ", "CS", "CSZ", "CZS"}, 1, 0, {ALL("4")}},
	{{"C"}, 2, 1, {ALL("5"), ALL("4")}},
	{{"DRZ", "DRS"}, 1, 0, {ALL("4")}},
	{{"DS", "DSH", "DSZ"}, 1, 0, {ALL("4")}},
	{{"DZ", "DZH", "DZS"}, 1, 0, {ALL("4")}},
	{{"D", "DT"}, 1, 0, {ALL("3")}},
	{{"EI", "EJ", "EY"}, 1, 0, {{{"0", "1", ""}}}},
	{{"EU"}, 1, 0, {{{"1", "1", ""}}}},
	{{"E"}, 1, 0, {{{"0", "", ""}}}},
	{{"FB", "F"}, 1, 0, {ALL("7")}},
	{{"G"}, 1, 0, {ALL("5")}},
	{{"H"}, 1, 0, {{{"5", "5", ""}}}},
	{{"IA", "IE", "IO", "IU"}, 1, 0, {{{"1", "", ""}}}},
	{{"I"}, 1, 0, {{{"0", "", ""}}}},
	{{"J"}, 2, 0, {{{"1", "", ""}}, ALL("4")}},
	{{"KS"}, 1, 0, {{{"5", "54", "54"}}}},
	{{"KH"}, 1, 0, {ALL("5")}},
	{{"K"}, 1, 0, {ALL("5")}},
	{{"L"}, 1, 0, {ALL("8")}},
	{{"MN"}, 1, 0, {ALL("66")}},
	{{"M"}, 1, 0, {ALL("6")}},
	{{"NM"}, 1, 0, {ALL("66")}},
	{{"N"}, 1, 0, {ALL("6")}},
	{{"OI", "OJ", "OY"}, 1, 0, {{{"0", "1", ""}}}},
	{{"O"}, 1, 0, {{{"0", "", ""}}}},
	{{"P", "PF", "PH"}, 1, 0, {ALL("7")}},
	{{"Q"}, 1, 0, {ALL("5")}},
	{{"RZ", "RS"}, 2, 1, {ALL("94"), ALL("4")}},
	{{"R"}, 1, 0, {ALL("9")}},
	{{"SCHTSCH", "SCHTSH", "SCHTCH"}, 1, 0, {{{"2", "4", "4"}}}},
	{{"SCH"}, 1, 0, {ALL("4")}},
	{{"SHTCH", "SHCH", "SHTSH"}, 1, 0, {{{"2", "4", "4"}}}},
	{{"SHT", "SCHT", "SCHD"}, 1, 0, {{{"2", "43", "43"}}}},
	{{"SH"}, 1, 0, {ALL("4")}},
	{{"STCH", "STSCH", "SC"}, 1, 0, {{{"2", "4", "4"}}}},
	{{"STRZ", "STRS", "STSH"}, 1, 0, {{{"2", "4", "4"}}}},
	{{"ST"}, 1, 0, {{{"2", "43", "43"}}}},
	{{"SZCZ", "SZCS"}, 1, 0, {{{"2", "4", "4"}}}},
	{{"SZT", "SHD", "SZD", "SD"}, 1, 0, {{{"2", "43", "43"}}}},
	{{"SZ"}, 1, 0, {ALL("4")}},
	{{"S"}, 1, 0, {ALL("4")}},
	{{"TCH", "TTCH", "TTSCH"}, 1, 0, {ALL("4")}},
	{{"TH"}, 1, 0, {ALL("3")}},
	{{"TRZ", "TRS"}, 1, 0, {ALL("4")}},
	{{"TSCH", "TSH"}, 1, 0, {ALL("4")}},
	{{"TS", "TTS", "TTSZ", "TC"}, 1, 0, {ALL("4")}},
	{{"TZ", "TTZ", "TZS", "TSZ"}, 1, 0, {ALL("4")}},
	{{"T"}, 1, 0, {ALL("3")}},
	{{"UI", "UJ", "UY", "UE"}, 1, 0, {{{"0", "1", ""}}}},
	{{"U"}, 1, 0, {{{"0", "", ""}}}},
	{{"V"}, 1, 0, {ALL("7")}},
	{{"W"}, 1, 0, {ALL("7")}},
	{{"X"}, 1, 0, {{{"5", "54", "54"}}}},
	{{"Y"}, 1, 0, {{{"1", "", ""}}}},
	{{"ZDZ", "ZDZH", "ZHDZH"}, 1, 0, {{{"2", "4", "4"}}}},
	{{"ZD", "ZHD"}, 1, 0, {{{"2", "43", "43"}}}},
	{{"ZH", "ZS", "ZSCH", "ZSH"}, 1, 0, {ALL("4")}},
	{{"Z"}, 1, 0, {ALL("4")}},
	{{"a"}, 2, 1, {{{"", "", "6"}}, {{"", "", ""}}}},
	{{"e"}, 2, 1, {{{"", "", "6"}}, {{"", "", ""}}}},
	{{"t"}, 2, 0, {ALL("3"), ALL("4")}},
};

#define DM_NGROUPS (sizeof(dm_chart) / sizeof(dm_chart[0]))

/* Letters cut into groups, reading ahead at most DM_MAX_SPELLING letters. */
typedef struct DmReader
{
	const cdm_char *s;
	size_t		n;
	size_t		pos;			/* next code point to read */
	int			len;			/* letters in win */
	char		win[DM_MAX_SPELLING];
	unsigned   *tick;			/* shared interrupt-check counter */
} DmReader;

typedef struct DmCtx
{
	const DmGroup *cache[DM_CACHE];	/* the first groups, cut once */
	int			ncached;
	bool		complete;		/* the cache holds every group */
	DmReader	rest;			/* positioned after the cached groups */
	bool		primary;		/* only each group's primary alternative */
	char		(*codes)[7];
	int			max_codes;
	int			count;
	char		prev[DM_DIGITS + 1];	/* the last code emitted */
	unsigned	tick;
} DmCtx;

static inline void
dm_tick(unsigned *tick)
{
	if (++*tick % CDM_INTERRUPT_STRIDE == 0)
		CDM_CHECK_INTERRUPTS();
}

/* The chart letter for c, or 0 for anything the chart does not code. */
static char
dm_letter(cdm_char c)
{
	if (c >= 'A' && c <= 'Z')
		return (char) c;
	if (c >= 'a' && c <= 'z')
		return (char) (c - 'a' + 'A');
	switch (c)
	{
		case 0x0104:			/* A and a with ogonek */
		case 0x0105:
			return 'a';
		case 0x0118:			/* E and e with ogonek */
		case 0x0119:
			return 'e';
		case 0x0162:			/* T and t with cedilla */
		case 0x0163:
		case 0x021A:			/* T and t with comma below */
		case 0x021B:
			return 't';
	}
	return 0;
}

static void
dm_reader_init(DmReader *r, const cdm_char *s, size_t n, unsigned *tick)
{
	r->s = s;
	r->n = n;
	r->pos = 0;
	r->len = 0;
	r->tick = tick;
}

/* The next letter group (longest spelling that matches), NULL at the end. */
static const DmGroup *
dm_read_group(DmReader *r)
{
	const DmGroup *best = NULL;
	int			bestlen = 0;
	size_t		lo = 0,
				hi = DM_NGROUPS;

	while (r->len < DM_MAX_SPELLING && r->pos < r->n)
	{
		char		c = dm_letter(r->s[r->pos++]);

		if (c)
			r->win[r->len++] = c;
		dm_tick(r->tick);
	}
	if (r->len == 0)
		return NULL;
	/* the first row for this letter */
	while (lo < hi)
	{
		size_t		mid = (lo + hi) / 2;

		if (dm_chart[mid].spelling[0][0] < r->win[0])
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < DM_NGROUPS && dm_chart[lo].spelling[0][0] == r->win[0]; lo++)
	{
		const DmGroup *g = &dm_chart[lo];

		for (int k = 0; k < 4 && g->spelling[k]; k++)
		{
			const char *sp = g->spelling[k];
			int			l = 1;	/* the first letter is known to match */

			while (sp[l] && l < r->len && sp[l] == r->win[l])
				l++;
			if (sp[l] == '\0' && l > bestlen)
			{
				best = g;
				bestlen = l;
			}
		}
	}
	/* every chart letter has a one-letter group, so bestlen >= 1 here */
	memmove(r->win, r->win + bestlen, r->len - bestlen);
	r->len -= bestlen;
	return best;
}

/* Group number i of a pass that asks for them in order, reading past the cache. */
static const DmGroup *
dm_group(const DmCtx *cx, DmReader *rd, int i)
{
	if (i < cx->ncached)
		return cx->cache[i];
	if (cx->complete)
		return NULL;
	return dm_read_group(rd);
}

static bool
dm_is_vowel(const DmAlt *a)
{
	return a->code[DM_START][0] == '0' || a->code[DM_START][0] == '1';
}

/*
 * A node's branches as a bit set: bit (k * 3 + next) where k = 1 when the
 * last digit emitted is the node's own last digit (a repeat of it is
 * dropped) and k = 0 after an uncoded group or before any digit, and next is
 * DM_NEXT_*.
 */
#define DM_BIT(k, next) (1u << ((k) * 3 + (next)))
#define DM_OWN (DM_BIT(1, 0) | DM_BIT(1, 1) | DM_BIT(1, 2))

/*
 * A branch at prefix t[0..j) emits the digits s (one or two): record where
 * it lands if that is on t's path (at[] of the next group) or a child of t.
 */
static void
dm_land(const char *t, int len, int j, const char *s, int next,
		unsigned *at, unsigned *children)
{
	if (j == len)
	{
		/* a second digit past t is a grandchild, found by the child's pass */
		*children |= 1u << (s[0] - '0');
		return;
	}
	if (s[0] != t[j])
		return;					/* leaves t's path */
	if (s[1] == '\0')
		at[j + 1] |= DM_BIT(1, next);
	else if (j + 1 == len)
		*children |= 1u << (s[1] - '0');
	else if (s[1] == t[j + 1])
		at[j + 2] |= DM_BIT(1, next);
}

/*
 * One pass for trie node t[0..len), len < 6: returns t's children as a bit
 * set of digits; *alive tells whether a branch is still at t at the end.
 */
static unsigned
dm_pass(DmCtx *cx, const char *t, int len, bool *alive)
{
	unsigned	at[DM_DIGITS] = {0};
	unsigned	children = 0;
	DmReader	rd = cx->rest;
	const DmGroup *g;
	int			i = 0;

	at[0] = DM_BIT(0, DM_NEXT_ANY);
	for (g = dm_group(cx, &rd, 0); g; i++)
	{
		const DmGroup *h = dm_group(cx, &rd, i + 1);
		unsigned	next[DM_DIGITS] = {0};
		bool		any = false;
		int			a0 = cx->primary ? g->primary : 0;
		int			a1 = cx->primary ? g->primary + 1 : g->nalt;
		int			b0 = h && cx->primary ? h->primary : 0;
		int			b1 = h ? (cx->primary ? h->primary + 1 : h->nalt) : 1;
		int			nop = 0;
		struct
		{
			const char *code;
			unsigned	allow;			/* branches that may take this alternative */
			int			nx;
		}			op[4];

		dm_tick(&cx->tick);
		for (int a = a0; a < a1; a++)
		{
			int			need = dm_is_vowel(&g->alt[a]) ? DM_NEXT_VOWEL : DM_NEXT_CONSONANT;
			unsigned	allow = DM_BIT(0, DM_NEXT_ANY) | DM_BIT(1, DM_NEXT_ANY) |
				DM_BIT(0, need) | DM_BIT(1, need);

			for (int b = b0; b < b1; b++)
			{
				int			col;

				/* the column depends on the alternative taken by the next group */
				if (i == 0)
				{
					col = DM_START;
					op[nop].nx = DM_NEXT_ANY;
				}
				else if (h && dm_is_vowel(&h->alt[b]))
				{
					col = DM_VOWEL;
					op[nop].nx = DM_NEXT_VOWEL;
				}
				else
				{
					col = DM_OTHER;
					op[nop].nx = DM_NEXT_CONSONANT;
				}
				op[nop].code = g->alt[a].code[col];
				op[nop++].allow = allow;
			}
		}

		for (int j = 0; j <= len; j++)
		{
			if (!at[j])
				continue;
			for (int o = 0; o < nop; o++)
			{
				unsigned	st = at[j] & op[o].allow;
				const char *code = op[o].code;
				int			nx = op[o].nx;

				if (!st)
					continue;
				if (code[0] == '\0')
				{
					next[j] |= DM_BIT(0, nx);
					continue;
				}
				/* after the node's own last digit, an equal first digit is dropped */
				if ((st & DM_OWN) && j > 0 && code[0] == t[j - 1])
				{
					if (code[1] == '\0')
						next[j] |= DM_BIT(1, nx);
					else
						dm_land(t, len, j, code + 1, nx, next, &children);
					st &= ~DM_OWN;
				}
				if (st)
					dm_land(t, len, j, code, nx, next, &children);
			}
		}
		for (int j = 0; j <= len; j++)
		{
			at[j] = next[j];
			any |= next[j] != 0;
		}
		if (!any)
			break;				/* nothing left on t's path */
		g = h;
	}
	*alive = at[len] != 0;
	return children;
}

/* Append t[0..len) padded with 0; false when codes[] is full. */
static bool
dm_emit(DmCtx *cx, const char *t, int len)
{
	char		code[DM_DIGITS + 1];

	memcpy(code, t, len);
	memset(code + len, '0', DM_DIGITS - len);
	code[DM_DIGITS] = '\0';
	/* the root and a leading 0 both pad to 000000; sorted, so only adjacent */
	if (cx->count > 0 && memcmp(code, cx->prev, sizeof(code)) == 0)
		return true;
	memcpy(cx->prev, code, sizeof(code));
	if (cx->codes)
	{
		if (cx->count >= cx->max_codes)
			return false;
		memcpy(cx->codes[cx->count], code, sizeof(code));
	}
	cx->count++;
	return true;
}

/* Depth first, children in digit order: the codes come out sorted. */
static bool
dm_visit(DmCtx *cx, char *t, int len)
{
	bool		alive;
	unsigned	children = dm_pass(cx, t, len, &alive);

	/* t padded sorts before t's children: they add a digit other than 0 */
	if (alive && !dm_emit(cx, t, len))
		return false;
	for (int d = 0; d <= 9; d++)
	{
		if (!(children & (1u << d)))
			continue;
		t[len] = (char) ('0' + d);
		if (len + 1 == DM_DIGITS ? !dm_emit(cx, t, len + 1)
			: !dm_visit(cx, t, len + 1))
			return false;
	}
	return true;
}

static void
dm_init(DmCtx *cx, const cdm_char *s, size_t n)
{
	const DmGroup *g = NULL;

	cx->tick = 0;
	cx->count = 0;
	dm_reader_init(&cx->rest, s, n, &cx->tick);
	for (cx->ncached = 0; cx->ncached < DM_CACHE; cx->ncached++)
	{
		g = dm_read_group(&cx->rest);
		if (!g)
			break;
		cx->cache[cx->ncached] = g;
	}
	cx->complete = cx->ncached < DM_CACHE;
}

int
cdm_daitch_mokotoff(const cdm_char *s, size_t n, char codes[][7], int max_codes)
{
	DmCtx		cx;
	char		t[DM_DIGITS];

	dm_init(&cx, s, n);
	if (cx.ncached == 0)
		return 0;				/* no letter */
	cx.primary = false;
	cx.codes = codes;
	cx.max_codes = max_codes < 0 ? 0 : max_codes;
	if (!dm_visit(&cx, t, 0))
		return -1;
	return cx.count;
}

int
cdm_daitch_mokotoff_first(const cdm_char *s, size_t n, char code[7])
{
	DmCtx		cx;
	char		t[DM_DIGITS];

	dm_init(&cx, s, n);
	code[0] = '\0';
	if (cx.ncached == 0)
		return 0;
	/* one alternative per group: a single branch, hence a single code */
	cx.primary = true;
	cx.codes = (char (*)[7]) code;
	cx.max_codes = 1;
	return dm_visit(&cx, t, 0) && cx.count == 1 ? 1 : 0;
}
