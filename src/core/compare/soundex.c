/*
 * soundex.c - American Soundex.
 *
 * Rules as published by the US National Archives ("The Soundex Indexing
 * System", NARA, 2007): keep the first letter; code the rest
 * B F P V = 1, C G J K Q S X Z = 2, D T = 3, L = 4, M N = 5, R = 6; vowels
 * (A E I O U Y) are not coded but separate letters with the same code;
 * H and W are not coded and do not separate them (the "H/W rule"); a letter
 * with the same code as the first letter next to it is not coded again;
 * stop at three digits, pad with zeros.  Non-letters are ignored, as in
 * PostgreSQL's fuzzystrmatch and commons-codec ("KING-SMITH" = K525).
 */
#include "soundex.h"

#define SEPARATOR	'0'			/* vowel: uncoded, resets the previous code */
#define TRANSPARENT	'-'			/* H, W: uncoded, keeps the previous code */

/* Codes for A..Z (NARA table). */
static const char codes[26] = {
	'0', '1', '2', '3', '0', '1', '2', '-', '0', '2', '2', '4', '5',
	'5', '0', '1', '2', '6', '2', '3', '0', '1', '-', '2', '0', '2'
};

/* 0..25 for an ASCII letter, -1 for anything else. */
static inline int
letter_index(cdm_char c)
{
	if (c >= 'A' && c <= 'Z')
		return (int) (c - 'A');
	if (c >= 'a' && c <= 'z')
		return (int) (c - 'a');
	return -1;
}

void
cdm_soundex(const cdm_char *s, size_t n, char out[5])
{
	size_t		i = 0;
	int			len = 1;
	char		last;

	/* Leading non-letters are skipped; a string with no letter has no code. */
	for (; i < n && letter_index(s[i]) < 0; i++)
		if (i % CDM_INTERRUPT_STRIDE == CDM_INTERRUPT_STRIDE - 1)
			CDM_CHECK_INTERRUPTS();
	if (i == n)
	{
		out[0] = '\0';
		return;
	}
	out[0] = (char) ('A' + letter_index(s[i]));
	last = codes[letter_index(s[i])];
	for (i++; i < n && len < 4; i++)
	{
		int			k = letter_index(s[i]);
		char		c;

		if (i % CDM_INTERRUPT_STRIDE == 0)
			CDM_CHECK_INTERRUPTS();
		if (k < 0)
			continue;
		c = codes[k];
		if (c == TRANSPARENT)
			continue;
		if (c != SEPARATOR && c != last)
			out[len++] = c;
		last = c;
	}
	while (len < 4)
		out[len++] = '0';
	out[4] = '\0';
}
