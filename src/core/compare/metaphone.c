/*
 * metaphone.c - Metaphone.
 *
 * Lawrence Philips, "Hanging on the Metaphone", Computer Language 7(12),
 * December 1990.  Where later implementations disagree on the rules, cdm
 * follows the dialect of Apache commons-codec's Metaphone (whose published
 * test vectors are in test/conformance/data/metaphone*__commons_codec.csv):
 *
 *	initial AE GN KN PN WR drop the first letter, initial X is S, initial WH
 *	is W (then coded as a W: "WHY" has no code); a vowel is kept only as the
 *	first letter; doubled letters count once, except C;
 *	B silent in a final MB; C is X in CIA and CH, S before E I Y, silent in
 *	SCE SCI SCY, K in SCH and otherwise; D is J before GE GI GY, else T;
 *	G silent in GH not at the end and not before a vowel, in a final GH, in
 *	a final GN or GNED, and in DGE DGI DGY; G is J before E I Y, else K;
 *	H is coded only before a vowel and not after C G P S T; K silent after
 *	C; PH is F; Q is K; S is X before H and in SIO SIA; T is X in TIA TIO,
 *	0 (theta) before H, silent in TCH; V is F; W and Y are coded only before
 *	a vowel; X is KS; Z is S.
 *
 * "At the end" means that no letter follows: non-letters end words.
 */
#include "metaphone.h"

#include <stdbool.h>

/*
 * The word as the rules see it: upper-case ASCII letters, 0 for anything
 * else and outside [start, n).  The initial-letter rules are applied by
 * moving start and, for X- and WH-, replacing the letter at start.
 */
typedef struct Word
{
	const cdm_char *s;
	size_t		n;
	size_t		start;
	char		first;			/* the letter at start */
} Word;

static inline char
upper_letter(cdm_char c)
{
	if (c >= 'A' && c <= 'Z')
		return (char) c;
	if (c >= 'a' && c <= 'z')
		return (char) (c - 'a' + 'A');
	return 0;
}

/* Letter at i (i may be start - 1 or past the end: 0 there). */
static inline char
at(const Word *w, size_t i)
{
	if (i < w->start || i >= w->n)
		return 0;
	if (i == w->start)
		return w->first;
	return upper_letter(w->s[i]);
}

static inline bool
is_vowel(char c)
{
	return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U';
}

/* E, I, Y: the letters that soften C and G. */
static inline bool
is_front(char c)
{
	return c == 'E' || c == 'I' || c == 'Y';
}

size_t
cdm_metaphone(const cdm_char *s, size_t n, size_t max_len, char *out)
{
	Word		w;
	size_t		len = 0;
	size_t		i;
	char		first;
	char		second;

	/* The "initial" rules apply to the first letter, past any punctuation. */
	for (i = 0; i < n && upper_letter(s[i]) == 0; i++)
		if (i % CDM_INTERRUPT_STRIDE == CDM_INTERRUPT_STRIDE - 1)
			CDM_CHECK_INTERRUPTS();
	if (i == n)
	{
		out[0] = '\0';
		return 0;
	}
	w.s = s;
	w.n = n;
	w.start = i;
	first = upper_letter(s[i]);
	second = i + 1 < n ? upper_letter(s[i + 1]) : 0;
	w.first = first;
	if ((first == 'A' && second == 'E') ||
		((first == 'G' || first == 'K' || first == 'P') && second == 'N') ||
		(first == 'W' && second == 'R'))
	{
		w.start++;				/* the first letter is silent */
		w.first = second;
	}
	else if (first == 'W' && second == 'H')
	{
		/* WH- is a W standing where the H was, then coded as any W */
		w.start++;
		w.first = 'W';
	}
	else if (first == 'X')
		w.first = 'S';

#define EMIT(ch) \
	do { \
		if (max_len > 0 && len >= max_len) \
			goto done; \
		out[len++] = (ch); \
	} while (0)

	for (i = w.start; i < n; i++)
	{
		char		c = at(&w, i);
		char		prev = at(&w, i - 1);
		char		next = at(&w, i + 1);
		char		next2;

		if ((i - w.start) % CDM_INTERRUPT_STRIDE == CDM_INTERRUPT_STRIDE - 1)
			CDM_CHECK_INTERRUPTS();
		if (max_len > 0 && len >= max_len)
			break;				/* the code is complete */
		if (c == 0)
			continue;
		/* a doubled letter is coded once, except C (ACCEPT = AKSPT) */
		if (c == prev && c != 'C')
			continue;
		switch (c)
		{
			case 'A':
			case 'E':
			case 'I':
			case 'O':
			case 'U':
				if (i == w.start)
					EMIT(c);
				break;
			case 'B':
				if (!(prev == 'M' && next == 0))
					EMIT('B');
				break;
			case 'C':
				if (prev == 'S' && is_front(next))
					break;
				if (next == 'I' && at(&w, i + 2) == 'A')
					EMIT('X');
				else if (is_front(next))
					EMIT('S');
				else if (next == 'H')
					EMIT(prev == 'S' ? 'K' : 'X');
				else
					EMIT('K');
				break;
			case 'D':
				if (next == 'G' && is_front(at(&w, i + 2)))
					EMIT('J');
				else
					EMIT('T');
				break;
			case 'G':
				next2 = at(&w, i + 2);
				if (next == 'H' && !is_vowel(next2))
					break;		/* GH silent unless a vowel follows */
				if (next == 'N' &&
					(next2 == 0 ||
					 (next2 == 'E' && at(&w, i + 3) == 'D' && at(&w, i + 4) == 0)))
					break;		/* final GN, GNED */
				if (prev == 'D' && is_front(next))
					break;		/* DGE DGI DGY: coded by the D */
				EMIT(is_front(next) ? 'J' : 'K');
				break;
			case 'H':
				if (is_vowel(next) && prev != 'C' && prev != 'G' &&
					prev != 'P' && prev != 'S' && prev != 'T')
					EMIT('H');
				break;
			case 'K':
				if (prev != 'C')
					EMIT('K');
				break;
			case 'P':
				EMIT(next == 'H' ? 'F' : 'P');
				break;
			case 'Q':
				EMIT('K');
				break;
			case 'S':
				next2 = at(&w, i + 2);
				if (next == 'H' || (next == 'I' && (next2 == 'O' || next2 == 'A')))
					EMIT('X');
				else
					EMIT('S');
				break;
			case 'T':
				next2 = at(&w, i + 2);
				if (next == 'I' && (next2 == 'O' || next2 == 'A'))
					EMIT('X');
				else if (next == 'H')
					EMIT('0');
				else if (!(next == 'C' && next2 == 'H'))
					EMIT('T');
				break;
			case 'V':
				EMIT('F');
				break;
			case 'W':
			case 'Y':
				if (is_vowel(next))
					EMIT(c);
				break;
			case 'X':
				EMIT('K');
				EMIT('S');
				break;
			case 'Z':
				EMIT('S');
				break;
			default:			/* F J L M N R */
				EMIT(c);
				break;
		}
	}
done:
#undef EMIT
	out[len] = '\0';
	return len;
}
