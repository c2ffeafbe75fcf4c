/*
 * nysiis.c - NYSIIS phonetic code.
 *
 * Robert L. Taft, "Name Search Techniques", New York State Identification
 * and Intelligence System, Special Report No. 1, Albany, 1970; the rules as
 * usually restated (e.g. Wikipedia "New York State Identification and
 * Intelligence System", and the commons-codec Nysiis documentation):
 *
 *	1. Initial MAC -> MCC, KN -> NN, K -> C, PH PF -> FF, SCH -> SSS.
 *	2. Final EE IE -> Y; final DT RT RD NT ND -> D.
 *	3. The key starts with the first letter.
 *	4. Each later letter, in the name as rewritten so far: EV -> AF, other
 *	   vowels -> A; Q -> G, Z -> S, M -> N; KN -> N, other K -> C;
 *	   SCH -> SSS; PH -> FF; H -> the preceding letter when the preceding
 *	   or the following letter is not a vowel; W -> the preceding letter
 *	   when that is a vowel.  The result joins the key unless it equals
 *	   the key's last character.
 *	5. Drop a final S, turn a final AY into Y, drop a final A (the key
 *	   never becomes empty).
 *	6. Optionally keep the first six characters.
 */
#include "nysiis.h"

#include <stdbool.h>

static inline char
upper_letter(cdm_char c)
{
	if (c >= 'A' && c <= 'Z')
		return (char) c;
	if (c >= 'a' && c <= 'z')
		return (char) (c - 'a' + 'A');
	return 0;
}

static inline bool
is_vowel(char c)
{
	return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U';
}

size_t
cdm_nysiis(const cdm_char *s, size_t n, size_t max_len, char *out)
{
	size_t		m = 0;
	size_t		len;

	/* The working copy: the name's letters, upper-cased. */
	for (size_t i = 0; i < n; i++)
	{
		char		c = upper_letter(s[i]);

		if (i % CDM_INTERRUPT_STRIDE == CDM_INTERRUPT_STRIDE - 1)
			CDM_CHECK_INTERRUPTS();
		if (c)
			out[m++] = c;
	}
	if (m == 0)
	{
		out[0] = '\0';
		return 0;
	}

	/* Rule 1: the beginning of the name. */
	if (m >= 3 && out[0] == 'M' && out[1] == 'A' && out[2] == 'C')
		out[1] = 'C';
	else if (m >= 2 && out[0] == 'K' && out[1] == 'N')
		out[0] = 'N';
	else if (out[0] == 'K')
		out[0] = 'C';
	else if (m >= 2 && out[0] == 'P' && (out[1] == 'H' || out[1] == 'F'))
		out[0] = out[1] = 'F';
	else if (m >= 3 && out[0] == 'S' && out[1] == 'C' && out[2] == 'H')
		out[1] = out[2] = 'S';

	/* Rule 2: the end of the name. */
	if (m >= 2)
	{
		char		a = out[m - 2];
		char		b = out[m - 1];

		if ((a == 'E' || a == 'I') && b == 'E')
		{
			out[m - 2] = 'Y';
			m--;
		}
		else if ((b == 'T' && (a == 'D' || a == 'R' || a == 'N')) ||
				 (b == 'D' && (a == 'R' || a == 'N')))
		{
			out[m - 2] = 'D';
			m--;
		}
	}

	/*
	 * Rules 3 and 4, in place: the key is written over the name behind the
	 * scan.  The key never outruns the scan (len <= i), and the only letter
	 * behind the scan that is read again, out[i - 1], is either untouched or
	 * was just overwritten with its own rewritten value.
	 */
	len = 1;
	for (size_t i = 1; i < m; i++)
	{
		char		c = out[i];
		char		prev = out[i - 1];
		char		next = i + 1 < m ? out[i + 1] : 0;

		if (i % CDM_INTERRUPT_STRIDE == 0)
			CDM_CHECK_INTERRUPTS();
		if (is_vowel(c))
		{
			if (c == 'E' && next == 'V')
				out[i + 1] = 'F';
			c = 'A';
		}
		else if (c == 'Q')
			c = 'G';
		else if (c == 'Z')
			c = 'S';
		else if (c == 'M')
			c = 'N';
		else if (c == 'K')
			c = next == 'N' ? 'N' : 'C';
		else if (c == 'S' && next == 'C' && i + 2 < m && out[i + 2] == 'H')
			out[i + 1] = out[i + 2] = 'S';
		else if (c == 'P' && next == 'H')
			c = out[i + 1] = 'F';
		else if (c == 'H' && (!is_vowel(prev) || !is_vowel(next)))
			c = prev;
		else if (c == 'W' && is_vowel(prev))
			c = prev;
		out[i] = c;
		if (c != out[len - 1])
			out[len++] = c;
	}

	/* Rule 5. */
	if (len > 1 && out[len - 1] == 'S')
		len--;
	if (len > 1 && out[len - 2] == 'A' && out[len - 1] == 'Y')
	{
		out[len - 2] = 'Y';
		len--;
	}
	if (len > 1 && out[len - 1] == 'A')
		len--;

	/* Rule 6. */
	if (max_len > 0 && len > max_len)
		len = max_len;
	out[len] = '\0';
	return len;
}
