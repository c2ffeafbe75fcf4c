/*
 * dmetaphone.c - Double Metaphone phonetic code.
 *
 * Algorithm: Lawrence Philips, "The Double Metaphone Search Algorithm",
 * C/C++ Users Journal 18(6), June 2000.  Every rule below is a rule of that
 * article, in its order, with the example words it gives; the code is
 * written from the rules, not from any implementation.  Where a later
 * implementation (commons-codec) disagrees with the article, the choice made
 * here is noted at the rule.
 *
 * The input is scanned once, left to right; a rule looks at a few letters
 * around the current one and appends to the primary code, the alternate
 * code or both.  Both codes stop at 4 characters and scanning stops as soon
 * as both are full, so the cost does not depend on the length of the input
 * past the first few syllables.  The one whole-word property (is the name
 * Slavo-Germanic?) is computed only when a rule needs it.
 *
 * No rule looks more than 4 letters back or 5 ahead, except at the start and
 * the end of the word, so the letters are case-folded once into a small
 * zero-padded window that slides along long inputs: the rules then read
 * bytes with no bounds checks.
 *
 * Letters are A-Z in either case plus Ç (coded S, as in the article); any
 * other code point is a non-letter: it codes nothing, matches no rule
 * pattern and is never a vowel.  Space is the one non-letter that rules
 * mention ("VAN ", "SAN ", "MAC CAFFREY").  Leading and trailing code points
 * up to U+0020 are ignored, so "  Smith " codes like "Smith".
 */
#include "dmetaphone.h"

#include <string.h>

/* Internal letter codes: uppercase ASCII, plus these two. */
#define DM_CEDILLA	0xC7		/* Ç or ç */
#define DM_OTHER	0xFF		/* any other non-ASCII code point */

/* The window: DM_PAD letters either side of DM_WINDOW, 0 outside the word. */
#define DM_PAD		8			/* > the farthest look-behind (4) and look-ahead (5) */
#define DM_WINDOW	48

typedef struct DmState
{
	const cdm_char *s;			/* the trimmed input */
	ptrdiff_t	n;
	ptrdiff_t	base;			/* w[DM_PAD + k] is the letter at base + k */
	int			slavo;			/* Slavo-Germanic: -1 not yet known, 0, 1 */
	int			plen;
	int			alen;
	char	   *primary;		/* the caller's buffers */
	char	   *alternate;
	unsigned char w[DM_PAD + DM_WINDOW + DM_PAD];
} DmState;

static inline int
fold(cdm_char ch)
{
	if (ch < 0x80)
		return (ch >= 'a' && ch <= 'z') ? (int) (ch - ('a' - 'A')) : (int) ch;
	if (ch == 0xC7 || ch == 0xE7)
		return DM_CEDILLA;
	return DM_OTHER;
}

/* Fold the letters around base into the window. */
static void
fill_window(DmState *st, ptrdiff_t base)
{
	ptrdiff_t	lo = base - DM_PAD;
	ptrdiff_t	hi = base + DM_WINDOW + DM_PAD;

	memset(st->w, 0, sizeof(st->w));
	st->base = base;
	if (lo < 0)
		lo = 0;
	if (hi > st->n)
		hi = st->n;
	for (ptrdiff_t p = lo; p < hi; p++)
		st->w[DM_PAD + (p - base)] = (unsigned char) fold(st->s[p]);
}

/*
 * The letter at i, 0 outside the word; i within 4 before and 5 after the
 * current position.
 */
static inline int
at(const DmState *st, ptrdiff_t i)
{
	return st->w[DM_PAD + (i - st->base)];
}

static inline bool
vowel_at(const DmState *st, ptrdiff_t i)
{
	switch (at(st, i))
	{
		case 'A':
		case 'E':
		case 'I':
		case 'O':
		case 'U':
		case 'Y':
			return true;
		default:
			return false;
	}
}

/*
 * Does one of the alternatives (alts is their concatenation, each len
 * letters long) occur at pos, near the current position?  The window's
 * zero padding fails any match that runs off either end of the word.
 */
static inline bool
is_at(const DmState *st, ptrdiff_t pos, int len, const char *alts)
{
	const unsigned char *w = st->w + DM_PAD + (pos - st->base);

	for (; *alts; alts += len)
	{
		int			k = 0;

		if (w[0] != (unsigned char) alts[0])
			continue;
		while (++k < len && w[k] == (unsigned char) alts[k])
			;
		if (k == len)
			return true;
	}
	return false;
}

/* The same anywhere in the word (its start and end), from the input. */
static bool
word_at(const DmState *st, ptrdiff_t pos, int len, const char *alts)
{
	if (pos < 0 || pos + len > st->n)
		return false;
	for (; *alts; alts += len)
	{
		int			k = 0;

		while (k < len && fold(st->s[pos + k]) == (unsigned char) alts[k])
			k++;
		if (k == len)
			return true;
	}
	return false;
}

/* Germanic names: "Van ...", "Von ...", "Sch..." keep CH, G and TH hard. */
static inline bool
germanic(const DmState *st)
{
	return word_at(st, 0, 4, "VAN VON ") || word_at(st, 0, 3, "SCH");
}

/*
 * Slavo-Germanic names (any W, K, CZ; the article also lists WITZ, which
 * contains W) keep some letters hard.  Needs the whole word, so it is
 * worked out on first use only.
 */
static bool
slavo_germanic(DmState *st)
{
	if (st->slavo < 0)
	{
		int			prev = 0;

		st->slavo = 0;
		for (ptrdiff_t i = 0; i < st->n; i++)
		{
			int			c = fold(st->s[i]);

			if (c == 'W' || c == 'K' || (c == 'Z' && prev == 'C'))
			{
				st->slavo = 1;
				break;
			}
			prev = c;
			if ((i & (CDM_INTERRUPT_STRIDE - 1)) == CDM_INTERRUPT_STRIDE - 1)
				CDM_CHECK_INTERRUPTS();
		}
	}
	return st->slavo == 1;
}

/* Append p to the primary and a to the alternate code, each capped at 4. */
static inline void
put(DmState *st, const char *p, const char *a)
{
	for (; *p && st->plen < CDM_DMETAPHONE_MAXLEN; p++)
		st->primary[st->plen++] = *p;
	for (; *a && st->alen < CDM_DMETAPHONE_MAXLEN; a++)
		st->alternate[st->alen++] = *a;
}

static inline void
put1(DmState *st, const char *both)
{
	put(st, both, both);
}

/* A letter that codes as one sound, doubled or not ("BB", "FF", ...). */
static inline ptrdiff_t
simple(DmState *st, ptrdiff_t i, int letter, const char *code)
{
	put1(st, code);
	return at(st, i + 1) == letter ? i + 2 : i + 1;
}

/* CH for "kh": Germanic, Greek or otherwise ("orchestra", "architect") */
static bool
ch_sounds_k(const DmState *st, ptrdiff_t i)
{
	if (germanic(st) ||
		is_at(st, i - 2, 6, "ORCHESARCHITORCHID") ||
		is_at(st, i + 2, 1, "TS"))
		return true;
	/* otherwise only word-initial or after A O U E, and before a consonant */
	if (i > 0 && !is_at(st, i - 1, 1, "AOUE"))
		return false;
	/* the article pads the word with spaces, so a final CH counts here */
	return is_at(st, i + 2, 1, "LRNMBHFVW ") || i + 2 == st->n;
}

static ptrdiff_t
code_c(DmState *st, ptrdiff_t i)
{
	/* Germanic "ACH" as in "bacher", "macher"; but not "ACHI", "ACHE" */
	if (i > 1 && !vowel_at(st, i - 2) && is_at(st, i - 1, 3, "ACH") &&
		at(st, i + 2) != 'I' &&
		(at(st, i + 2) != 'E' || is_at(st, i - 2, 6, "BACHERMACHER")))
	{
		put1(st, "K");
		return i + 2;
	}
	/* "caesar" */
	if (i == 0 && is_at(st, i, 6, "CAESAR"))
	{
		put1(st, "S");
		return i + 2;
	}
	/* Italian "chianti" */
	if (is_at(st, i, 4, "CHIA"))
	{
		put1(st, "K");
		return i + 2;
	}
	if (is_at(st, i, 2, "CH"))
	{
		/* "michael" */
		if (i > 0 && is_at(st, i, 4, "CHAE"))
			put(st, "K", "X");
		/* Greek roots: "chemistry", "chorus"; but "chore" */
		else if (i == 0 &&
				 (is_at(st, i + 1, 5, "HARACHARIS") ||
				  is_at(st, i + 1, 3, "HORHYMHIAHEM")) &&
				 !is_at(st, 0, 5, "CHORE"))
			put1(st, "K");
		else if (ch_sounds_k(st, i))
			put1(st, "K");
		else if (i > 0)
		{
			/* "McHugh" */
			if (word_at(st, 0, 2, "MC"))
				put1(st, "K");
			else
				put(st, "X", "K");
		}
		else
			put1(st, "X");
		return i + 2;
	}
	/* "czerny"; but "-wicz" is coded at the W */
	if (is_at(st, i, 2, "CZ") && !is_at(st, i - 2, 4, "WICZ"))
	{
		put(st, "S", "X");
		return i + 2;
	}
	/* "focaccia" */
	if (is_at(st, i + 1, 3, "CIA"))
	{
		put1(st, "X");
		return i + 3;
	}
	/* double C, but not "McClellan" */
	if (is_at(st, i, 2, "CC") && !(i == 1 && at(st, 0) == 'M'))
	{
		/* "bellocchio", but not "bacchus" */
		if (is_at(st, i + 2, 1, "IEH") && !is_at(st, i + 2, 2, "HU"))
		{
			/* "accident", "accede", "succeed" */
			if ((i == 1 && at(st, 0) == 'A') ||
				is_at(st, i - 1, 5, "UCCEEUCCES"))
				put1(st, "KS");
			/* "bacci", "bertucci", other Italian */
			else
				put1(st, "X");
			return i + 3;
		}
		/* Pierce's rule */
		put1(st, "K");
		return i + 2;
	}
	if (is_at(st, i, 2, "CKCGCQ"))
	{
		put1(st, "K");
		return i + 2;
	}
	if (is_at(st, i, 2, "CICECY"))
	{
		/* Italian vs English */
		if (is_at(st, i, 3, "CIOCIECIA"))
			put(st, "S", "X");
		else
			put1(st, "S");
		return i + 2;
	}
	put1(st, "K");
	/* "Mac Caffrey", "Mac Gregor" */
	if (is_at(st, i + 1, 2, " C Q G"))
		return i + 3;
	if (is_at(st, i + 1, 1, "CKQ") && !is_at(st, i + 1, 2, "CECI"))
		return i + 2;
	return i + 1;
}

static ptrdiff_t
code_d(DmState *st, ptrdiff_t i)
{
	if (is_at(st, i, 2, "DG"))
	{
		/* "edge" */
		if (is_at(st, i + 2, 1, "IEY"))
		{
			put1(st, "J");
			return i + 3;
		}
		/* "edgar" */
		put1(st, "TK");
		return i + 2;
	}
	if (is_at(st, i, 2, "DTDD"))
	{
		put1(st, "T");
		return i + 2;
	}
	put1(st, "T");
	return i + 1;
}

static ptrdiff_t
code_gh(DmState *st, ptrdiff_t i)
{
	if (i > 0 && !vowel_at(st, i - 1))
	{
		put1(st, "K");
		return i + 2;
	}
	/* "ghislane", "ghiradelli" */
	if (i == 0)
	{
		put1(st, at(st, i + 2) == 'I' ? "J" : "K");
		return i + 2;
	}
	/* Parker's rule (with refinements): "hugh", "bough", "broughton" */
	if ((i > 1 && is_at(st, i - 2, 1, "BHD")) ||
		(i > 2 && is_at(st, i - 3, 1, "BHD")) ||
		(i > 3 && is_at(st, i - 4, 1, "BH")))
		return i + 2;
	/* "laugh", "McLaughlin", "cough", "gough", "rough", "tough" */
	if (i > 2 && at(st, i - 1) == 'U' && is_at(st, i - 3, 1, "CGLRT"))
		put1(st, "F");
	else if (at(st, i - 1) != 'I')
		put1(st, "K");
	return i + 2;
}

static ptrdiff_t
code_g(DmState *st, ptrdiff_t i)
{
	int			next = at(st, i + 1);

	if (next == 'H')
		return code_gh(st, i);
	if (next == 'N')
	{
		if (i == 1 && vowel_at(st, 0) && !slavo_germanic(st))
			put(st, "KN", "N");
		/* not "cagney" */
		else if (!is_at(st, i + 2, 2, "EY") && !slavo_germanic(st))
			put(st, "N", "KN");
		else
			put1(st, "KN");
		return i + 2;
	}
	/* "tagliaro" */
	if (is_at(st, i + 1, 2, "LI") && !slavo_germanic(st))
	{
		put(st, "KL", "L");
		return i + 2;
	}
	/* -ges-, -gep-, -gel-, -gie- at the beginning */
	if (i == 0 &&
		(next == 'Y' || is_at(st, i + 1, 2, "ESEPEBELEYIBILINIEEIER")))
	{
		put(st, "K", "J");
		return i + 2;
	}
	/* -ger-, -gy-; but "danger", "ranger", "manger", -egy-, -igy-, -rgy-, -ogy- */
	if ((is_at(st, i + 1, 2, "ER") || next == 'Y') &&
		!word_at(st, 0, 6, "DANGERRANGERMANGER") &&
		!is_at(st, i - 1, 1, "EI") &&
		!is_at(st, i - 1, 3, "RGYOGY"))
	{
		put(st, "K", "J");
		return i + 2;
	}
	/* Italian "biaggi" */
	if (is_at(st, i + 1, 1, "EIY") || is_at(st, i - 1, 4, "AGGIOGGI"))
	{
		/* obvious Germanic */
		if (germanic(st) || is_at(st, i + 1, 2, "ET"))
			put1(st, "K");

		/*
		 * "rogier": the article tests "IER " on its space-padded word, i.e. at
		 * the end of a word or before a space (commons-codec tests "IER"
		 * anywhere; no published vector tells them apart).
		 */
		else if (is_at(st, i + 1, 3, "IER") &&
				 (i + 4 == st->n || at(st, i + 4) == ' '))
			put1(st, "J");
		else
			put(st, "J", "K");
		return i + 2;
	}
	put1(st, "K");
	return next == 'G' ? i + 2 : i + 1;
}

static ptrdiff_t
code_j(DmState *st, ptrdiff_t i)
{
	int			next = at(st, i + 1);

	/* Spanish "Jose", "San Jacinto" */
	if (is_at(st, i, 4, "JOSE") || word_at(st, 0, 4, "SAN "))
	{
		/* the article's padding makes "Jose" alone count as "Jose " */
		if ((i == 0 && (at(st, i + 4) == ' ' || i + 4 == st->n)) ||
			word_at(st, 0, 4, "SAN "))
			put1(st, "H");
		else
			put(st, "J", "H");
		return i + 1;
	}
	/* Yankelovich/Jankelowicz */
	if (i == 0)
		put(st, "J", "A");
	/* Spanish pronunciation of "bajador" */
	else if (vowel_at(st, i - 1) && !slavo_germanic(st) &&
			 (next == 'A' || next == 'O'))
		put(st, "J", "H");
	/* final J: silent in the alternate (the article's " " means nothing) */
	else if (i == st->n - 1)
		put(st, "J", "");
	else if (!is_at(st, i + 1, 1, "LTKSNMBZ") && !is_at(st, i - 1, 1, "SKL"))
		put1(st, "J");
	return next == 'J' ? i + 2 : i + 1;
}

static ptrdiff_t
code_l(DmState *st, ptrdiff_t i)
{
	if (at(st, i + 1) == 'L')
	{
		/* Spanish "cabrillo", "gallegos": no L in the alternate */
		if ((i == st->n - 3 && is_at(st, i - 1, 4, "ILLOILLAALLE")) ||
			((word_at(st, st->n - 2, 2, "ASOS") || word_at(st, st->n - 1, 1, "AO")) &&
			 is_at(st, i - 1, 4, "ALLE")))
			put(st, "L", "");
		else
			put1(st, "L");
		return i + 2;
	}
	put1(st, "L");
	return i + 1;
}

static ptrdiff_t
code_s(DmState *st, ptrdiff_t i)
{
	/* special cases "island", "isle", "carlisle", "carlysle" */
	if (is_at(st, i - 1, 3, "ISLYSL"))
		return i + 1;
	/* special case "sugar-" */
	if (i == 0 && is_at(st, i, 5, "SUGAR"))
	{
		put(st, "X", "S");
		return i + 1;
	}
	if (is_at(st, i, 2, "SH"))
	{
		/* Germanic */
		if (is_at(st, i + 1, 4, "HEIMHOEKHOLMHOLZ"))
			put1(st, "S");
		else
			put1(st, "X");
		return i + 2;
	}
	/* Italian and Armenian */
	if (is_at(st, i, 3, "SIOSIA") || is_at(st, i, 4, "SIAN"))
	{
		if (!slavo_germanic(st))
			put(st, "S", "X");
		else
			put1(st, "S");
		return i + 3;
	}

	/*
	 * German and anglicisations: "smith" matches "schmidt", "snider" matches
	 * "schneider"; also -sz- in Slavic languages
	 */
	if ((i == 0 && is_at(st, i + 1, 1, "MNLW")) || at(st, i + 1) == 'Z')
	{
		put(st, "S", "X");
		return at(st, i + 1) == 'Z' ? i + 2 : i + 1;
	}
	if (is_at(st, i, 2, "SC"))
	{
		/* Schlesinger's rule */
		if (at(st, i + 2) == 'H')
		{
			/* Dutch origin: "school", "schooner" */
			if (is_at(st, i + 3, 2, "OOERENUYEDEM"))
			{
				/* "schermerhorn", "schenker" */
				if (is_at(st, i + 3, 2, "EREN"))
					put(st, "X", "SK");
				else
					put1(st, "SK");
			}
			else if (i == 0 && !vowel_at(st, 3) && at(st, 3) != 'W')
				put(st, "X", "S");
			else
				put1(st, "X");
		}
		else if (is_at(st, i + 2, 1, "IEY"))
			put1(st, "S");
		else
			put1(st, "SK");
		return i + 3;
	}
	/* French "resnais", "artois" */
	if (i == st->n - 1 && is_at(st, i - 2, 2, "AIOI"))
		put(st, "", "S");
	else
		put1(st, "S");
	return is_at(st, i + 1, 1, "SZ") ? i + 2 : i + 1;
}

static ptrdiff_t
code_t(DmState *st, ptrdiff_t i)
{
	if (is_at(st, i, 4, "TION"))
	{
		put1(st, "X");
		return i + 3;
	}
	if (is_at(st, i, 3, "TIATCH"))
	{
		put1(st, "X");
		return i + 3;
	}
	if (is_at(st, i, 2, "TH") || is_at(st, i, 3, "TTH"))
	{
		/* special case "thomas", "thames" or Germanic */
		if (is_at(st, i + 2, 2, "OMAM") || germanic(st))
			put1(st, "T");
		else
			put(st, "0", "T");
		return i + 2;
	}
	put1(st, "T");
	return is_at(st, i + 1, 1, "TD") ? i + 2 : i + 1;
}

static ptrdiff_t
code_w(DmState *st, ptrdiff_t i)
{
	/* can also be in the middle of a word */
	if (is_at(st, i, 2, "WR"))
	{
		put1(st, "R");
		return i + 2;
	}

	/*
	 * "Wasserman" should match "Vasserman", "Uomo" should match "Womo".  As
	 * in the article, the word-initial rule then goes on to the rules below
	 * (commons-codec stops here; no published vector tells them apart).
	 */
	if (i == 0 && (vowel_at(st, i + 1) || at(st, i + 1) == 'H'))
	{
		if (vowel_at(st, i + 1))
			put(st, "A", "F");
		else
			put1(st, "A");
	}
	/* "Arnow" should match "Arnoff" */
	if ((i == st->n - 1 && vowel_at(st, i - 1)) ||
		is_at(st, i - 1, 5, "EWSKIEWSKYOWSKIOWSKY") ||
		word_at(st, 0, 3, "SCH"))
	{
		put(st, "", "F");
		return i + 1;
	}
	/* Polish "filipowicz" */
	if (is_at(st, i, 4, "WICZWITZ"))
	{
		put(st, "TS", "FX");
		return i + 4;
	}
	return i + 1;
}

static ptrdiff_t
code_x(DmState *st, ptrdiff_t i)
{
	/* French "breaux" */
	if (!(i == st->n - 1 &&
		  (is_at(st, i - 3, 3, "IAUEAU") || is_at(st, i - 2, 2, "AUOU"))))
		put1(st, "KS");
	return is_at(st, i + 1, 1, "CX") ? i + 2 : i + 1;
}

static ptrdiff_t
code_z(DmState *st, ptrdiff_t i)
{
	/* Chinese pinyin "zhao" */
	if (at(st, i + 1) == 'H')
	{
		put1(st, "J");
		return i + 2;
	}
	if (is_at(st, i + 1, 2, "ZOZIZA") ||
		(slavo_germanic(st) && i > 0 && at(st, i - 1) != 'T'))
		put(st, "S", "TS");
	else
		put1(st, "S");
	return at(st, i + 1) == 'Z' ? i + 2 : i + 1;
}

void
cdm_dmetaphone(const cdm_char *s, size_t n,
			   char primary[CDM_DMETAPHONE_MAXLEN + 1],
			   char alternate[CDM_DMETAPHONE_MAXLEN + 1])
{
	DmState		st;
	ptrdiff_t	i = 0;
	unsigned	steps = 0;

	/* surrounding whitespace is not part of the name (commons-codec trims) */
	while (n > 0 && s[0] <= 0x20)
		s++, n--;
	while (n > 0 && s[n - 1] <= 0x20)
		n--;

	st.s = s;
	st.n = (ptrdiff_t) n;
	st.slavo = -1;
	st.plen = 0;
	st.alen = 0;
	st.primary = primary;
	st.alternate = alternate;
	fill_window(&st, 0);

	/* skip these when at the start of a word */
	if (is_at(&st, 0, 2, "GNKNPNWRPS"))
		i = 1;
	/* initial X is pronounced Z, which maps to S: "Xavier" */
	if (at(&st, 0) == 'X')
	{
		put1(&st, "S");
		i = 1;
	}

	while (i < st.n &&
		   (st.plen < CDM_DMETAPHONE_MAXLEN || st.alen < CDM_DMETAPHONE_MAXLEN))
	{
		/* a long run of non-letters adds nothing, so the scan may be long */
		if ((++steps & (CDM_INTERRUPT_STRIDE - 1)) == 0)
			CDM_CHECK_INTERRUPTS();
		if (i >= st.base + DM_WINDOW)
			fill_window(&st, i);

		switch (at(&st, i))
		{
			case 'A':
			case 'E':
			case 'I':
			case 'O':
			case 'U':
			case 'Y':
				/* all initial vowels map to A; other vowels are skipped */
				if (i == 0)
					put1(&st, "A");
				i++;
				break;
			case 'B':
				/* "-mb", e.g. "dumb", is handled under M */
				i = simple(&st, i, 'B', "P");
				break;
			case DM_CEDILLA:
				put1(&st, "S");
				i++;
				break;
			case 'C':
				i = code_c(&st, i);
				break;
			case 'D':
				i = code_d(&st, i);
				break;
			case 'F':
				i = simple(&st, i, 'F', "F");
				break;
			case 'G':
				i = code_g(&st, i);
				break;
			case 'H':
				/* only keep if first and before a vowel, or between vowels */
				if ((i == 0 || vowel_at(&st, i - 1)) && vowel_at(&st, i + 1))
				{
					put1(&st, "H");
					i += 2;
				}
				else
					i++;
				break;
			case 'J':
				i = code_j(&st, i);
				break;
			case 'K':
				i = simple(&st, i, 'K', "K");
				break;
			case 'L':
				i = code_l(&st, i);
				break;
			case 'M':
				/* "dumb", "thumb", "dumber"; "MM" */
				if ((is_at(&st, i - 1, 3, "UMB") &&
					 (i + 1 == st.n - 1 || is_at(&st, i + 2, 2, "ER"))) ||
					at(&st, i + 1) == 'M')
					i += 2;
				else
					i++;
				put1(&st, "M");
				break;
			case 'N':
				i = simple(&st, i, 'N', "N");
				break;
			case 'P':
				if (at(&st, i + 1) == 'H')
				{
					put1(&st, "F");
					i += 2;
				}
				else
				{
					/* also account for "campbell", "raspberry" */
					put1(&st, "P");
					i += is_at(&st, i + 1, 1, "PB") ? 2 : 1;
				}
				break;
			case 'Q':
				i = simple(&st, i, 'Q', "K");
				break;
			case 'R':
				/* French "rogier", but exclude "hochmeier" */
				if (i == st.n - 1 && !slavo_germanic(&st) &&
					is_at(&st, i - 2, 2, "IE") && !is_at(&st, i - 4, 2, "MEMA"))
					put(&st, "", "R");
				else
					put1(&st, "R");
				i += at(&st, i + 1) == 'R' ? 2 : 1;
				break;
			case 'S':
				i = code_s(&st, i);
				break;
			case 'T':
				i = code_t(&st, i);
				break;
			case 'V':
				i = simple(&st, i, 'V', "F");
				break;
			case 'W':
				i = code_w(&st, i);
				break;
			case 'X':
				i = code_x(&st, i);
				break;
			case 'Z':
				i = code_z(&st, i);
				break;
			default:
				/* non-letters */
				i++;
				break;
		}
	}

	primary[st.plen] = '\0';
	alternate[st.alen] = '\0';
}
