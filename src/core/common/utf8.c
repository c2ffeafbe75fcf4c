/*
 * utf8.c - UTF-8 decoding for the core.
 */
#include "utf8.h"

#include <string.h>

void		(*cdm_check_interrupts) (void) = NULL;

bool
cdm_is_ascii(const char *s, size_t len)
{
	size_t		i = 0;
	uint64_t	acc = 0;

	/* Eight bytes at a time: names are short, but addresses and 1 MB inputs are not. */
	for (; i + 8 <= len; i += 8)
	{
		uint64_t	w;

		memcpy(&w, s + i, 8);
		acc |= w;
	}
	for (; i < len; i++)
		acc |= (unsigned char) s[i];
	return (acc & UINT64_C(0x8080808080808080)) == 0;
}

ptrdiff_t
cdm_utf8_decode(const char *s, size_t len, cdm_char *out)
{
	const unsigned char *p = (const unsigned char *) s;
	size_t		i = 0;
	ptrdiff_t	n = 0;

	/* Names are mostly ASCII: widen byte runs eight at a time. */
	while (i + 8 <= len)
	{
		uint64_t	w;

		memcpy(&w, p + i, 8);
		if (w & UINT64_C(0x8080808080808080))
			break;
		for (int k = 0; k < 8; k++)
			out[n + k] = p[i + k];
		n += 8;
		i += 8;
	}
	while (i < len)
	{
		unsigned char b = p[i];
		cdm_char	c;
		int			extra;
		cdm_char	min;

		if (b < 0x80)
		{
			out[n++] = b;
			i++;
			continue;
		}
		if ((b & 0xE0) == 0xC0)
		{
			c = b & 0x1F;
			extra = 1;
			min = 0x80;
		}
		else if ((b & 0xF0) == 0xE0)
		{
			c = b & 0x0F;
			extra = 2;
			min = 0x800;
		}
		else if ((b & 0xF8) == 0xF0)
		{
			c = b & 0x07;
			extra = 3;
			min = 0x10000;
		}
		else
			return -1;
		if (len - i <= (size_t) extra)
			return -1;
		for (int k = 1; k <= extra; k++)
		{
			if ((p[i + k] & 0xC0) != 0x80)
				return -1;
			c = (c << 6) | (p[i + k] & 0x3F);
		}
		if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
			return -1;
		out[n++] = c;
		i += extra + 1;
	}
	return n;
}

int
cdm_utf8_encode(cdm_char c, char *out)
{
	unsigned char *o = (unsigned char *) out;

	if (c < 0x80)
	{
		o[0] = (unsigned char) c;
		return 1;
	}
	if (c < 0x800)
	{
		o[0] = 0xC0 | (c >> 6);
		o[1] = 0x80 | (c & 0x3F);
		return 2;
	}
	if (c < 0x10000)
	{
		o[0] = 0xE0 | (c >> 12);
		o[1] = 0x80 | ((c >> 6) & 0x3F);
		o[2] = 0x80 | (c & 0x3F);
		return 3;
	}
	o[0] = 0xF0 | (c >> 18);
	o[1] = 0x80 | ((c >> 12) & 0x3F);
	o[2] = 0x80 | ((c >> 6) & 0x3F);
	o[3] = 0x80 | (c & 0x3F);
	return 4;
}
