/*
 * utf16.c - code points to and from UTF-16.
 */
#include "utf16.h"

size_t
cdm_utf16_encode(const cdm_char *in, size_t n, uint16_t *out)
{
	size_t		len = 0;

	for (size_t i = 0; i < n; i++)
	{
		cdm_char	c = in[i];

		if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
			c = 0xFFFD;
		if (c >= 0x10000)
		{
			out[len++] = (uint16_t) (0xD800 + ((c - 0x10000) >> 10));
			out[len++] = (uint16_t) (0xDC00 + ((c - 0x10000) & 0x3FF));
		}
		else
			out[len++] = (uint16_t) c;
	}
	return len;
}

size_t
cdm_utf16_decode(const uint16_t *in, size_t n, cdm_char *out)
{
	size_t		k = 0;

	for (size_t i = 0; i < n; i++)
	{
		cdm_char	c = in[i];

		if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n &&
			in[i + 1] >= 0xDC00 && in[i + 1] <= 0xDFFF)
		{
			c = 0x10000 + ((c - 0xD800) << 10) + (in[i + 1] - 0xDC00);
			i++;
		}
		out[k++] = c;
	}
	return k;
}
