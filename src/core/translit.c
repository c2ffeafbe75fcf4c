/*
 * translit.c - ICU transliteration to ASCII, cached per process.
 */
#include "translit.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/uclean.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>
#include <unicode/uversion.h>

/*
 * A leading UnicodeSet is ICU's global filter: the letters a profile codes
 * natively never reach the transliterators.  NFC first, so a letter typed
 * as base + combining mark is seen as the precomposed letter.
 */
static const char *const profile_ids[CDM_TRANSLIT_NPROFILES] = {
	"NFC; Any-Latin; Latin-ASCII",
	"[^\\u00C7\\u00E7]; NFC; Any-Latin; Latin-ASCII",
	"[^\\u0104\\u0105\\u0118\\u0119\\u0162\\u0163\\u021A\\u021B]; NFC; Any-Latin; Latin-ASCII",
};

static UTransliterator *cache[CDM_TRANSLIT_NPROFILES];

static UTransliterator *
get_translit(CdmTranslitProfile profile, const char **err)
{
	UChar		id[256];
	UErrorCode	status = U_ZERO_ERROR;
	UParseError perr;

	if (cache[profile])
		return cache[profile];
	u_uastrcpy(id, profile_ids[profile]);
	cache[profile] = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, &perr, &status);
	if (U_FAILURE(status))
	{
		cache[profile] = NULL;
		*err = u_errorName(status);
		return NULL;
	}
	return cache[profile];
}

ptrdiff_t
cdm_translit(CdmTranslitProfile profile, const cdm_char *in, size_t n,
			 cdm_char *out, size_t cap, const char **err)
{
	UTransliterator *t;
	UChar	   *buf;
	int32_t		bufcap;
	int32_t		len = 0;
	int32_t		limit;
	UErrorCode	status;
	ptrdiff_t	outn = 0;

	*err = NULL;
	if (profile < 0 || profile >= CDM_TRANSLIT_NPROFILES)
	{
		*err = "unknown transliteration profile";
		return -1;
	}
	if (n > (size_t) (INT32_MAX / 16 - 64))
	{
		*err = "input too long for ICU";
		return -1;
	}
	t = get_translit(profile, err);
	if (!t)
		return -1;

	/* Transliteration can grow text (ß -> ss, ligatures, CJK): grow on demand. */
	bufcap = (int32_t) (2 * n + 64);
	for (;;)
	{
		buf = malloc(sizeof(UChar) * bufcap);
		if (!buf)
		{
			*err = "out of memory";
			return -1;
		}
		len = 0;
		for (size_t i = 0; i < n; i++)
		{
			cdm_char	c = in[i];

			if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
				c = 0xFFFD;
			if (c >= 0x10000)
			{
				buf[len++] = (UChar) (0xD800 + ((c - 0x10000) >> 10));
				buf[len++] = (UChar) (0xDC00 + ((c - 0x10000) & 0x3FF));
			}
			else
				buf[len++] = (UChar) c;
		}
		limit = len;
		status = U_ZERO_ERROR;
		utrans_transUChars(t, buf, &len, bufcap, 0, &limit, &status);
		if (status == U_BUFFER_OVERFLOW_ERROR && bufcap < INT32_MAX / 4)
		{
			free(buf);
			bufcap *= 4;
			continue;
		}
		if (U_FAILURE(status))
		{
			free(buf);
			*err = u_errorName(status);
			return -1;
		}
		break;
	}

	/* UTF-16 back to code points; count everything even past cap. */
	for (int32_t i = 0; i < len; i++)
	{
		cdm_char	c = buf[i];

		if (c >= 0xD800 && c <= 0xDBFF && i + 1 < len &&
			buf[i + 1] >= 0xDC00 && buf[i + 1] <= 0xDFFF)
		{
			c = 0x10000 + ((c - 0xD800) << 10) + (buf[i + 1] - 0xDC00);
			i++;
		}
		if ((size_t) outn < cap)
			out[outn] = c;
		outn++;
	}
	free(buf);
	return outn;
}

const char *
cdm_icu_version(void)
{
	static char v[U_MAX_VERSION_STRING_LENGTH];
	UVersionInfo info;

	if (!v[0])
	{
		u_getVersion(info);
		u_versionToString(info, v);
	}
	return v;
}
