/*
 * translit.c - ICU transliteration to ASCII, cached per process.
 */
#include "translit.h"
#include "utf16.h"

#include <string.h>

#include <unicode/uclean.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>
#include <unicode/uversion.h>

/*
 * Cyrillic and Greek go through the romanisations English-language records
 * use for names rather than Any-Latin's scholarly ones: BGN/PCGN for
 * Cyrillic (Дмитрий -> Dmitriy, Жуков -> Zhukov, Чернов -> Chernov, where
 * ISO 9 gives Dmitrij, Zukov, Cernov) and ELOT 743 / UNGEGN for Greek, the
 * Greek passport standard (Βασιλείου -> Vasileiou, not Basileiou).  Other
 * scripts fall through to Any-Latin.  BGN writes the soft and hard signs as
 * primes (Ольга -> Olʹga); they are not sounds of the name and a prime would
 * end up as an apostrophe that splits the word, so they are removed
 * (Ольга -> Olga, Соловьёва -> Solovyeva).
 *
 * A leading UnicodeSet is ICU's global filter: the letters a profile codes
 * natively never reach the transliterators.  NFC first, so a letter typed
 * as base + combining mark is seen as the precomposed letter.
 */
#define NAMES_LATIN "Russian-Latin/BGN; [\\u02B9\\u02BA] Remove; Greek-Latin/UNGEGN; Any-Latin"

static const char *const profile_ids[CDM_TRANSLIT_NPROFILES] = {
	"NFC; " NAMES_LATIN "; Latin-ASCII",
	"[^\\u00C7\\u00E7]; NFC; " NAMES_LATIN "; Latin-ASCII",
	"[^\\u0104\\u0105\\u0118\\u0119\\u0162\\u0163\\u021A\\u021B]; NFC; " NAMES_LATIN "; Latin-ASCII",
	NAMES_LATIN,
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

/*
 * ICU works on one piece at a time, for two reasons.  Its transliterators
 * cannot be interrupted and some are quadratic in the length of a run (a
 * megabyte of "JCJŢ..." under a filtered profile takes minutes in one call);
 * pieces of at most PIECE_MAX code points keep every call short and let us
 * check for interrupts between them.  And with a fixed piece size the
 * UTF-16 buffer lives on the stack, so nothing leaks if we are interrupted.
 * Pieces end at ASCII white space, so the context rules of a transliterator
 * (Æsir -> Aesir, not AEsir) see whole words; only a word longer than
 * PIECE_MAX is cut, and ASCII words skip ICU altogether.
 */
#define PIECE_MAX 128
#define PIECE_BUF 8192			/* UTF-16 units: 32x the largest piece */

typedef struct Output
{
	cdm_char   *out;
	size_t		cap;
	ptrdiff_t	n;				/* counts past cap too: the caller retries */
} Output;

static inline void
emit(Output *o, cdm_char c)
{
	if ((size_t) o->n < o->cap)
		o->out[o->n] = c;
	o->n++;
}

static inline bool
is_ascii_space(cdm_char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static bool
translit_piece(UTransliterator *t, const cdm_char *in, size_t n, Output *o,
			   const char **err)
{
	UChar		buf[PIECE_BUF];
	int32_t		len = 0;
	int32_t		limit;
	UErrorCode	status = U_ZERO_ERROR;

	len = (int32_t) cdm_utf16_encode(in, n, buf);
	limit = len;
	utrans_transUChars(t, buf, &len, PIECE_BUF, 0, &limit, &status);
	if (status == U_BUFFER_OVERFLOW_ERROR && n > 1)
	{
		/* an extreme expansion: halve the piece */
		return translit_piece(t, in, n / 2, o, err) &&
			translit_piece(t, in + n / 2, n - n / 2, o, err);
	}
	if (U_FAILURE(status))
	{
		*err = u_errorName(status);
		return false;
	}
	for (int32_t i = 0; i < len; i++)
	{
		cdm_char	c = buf[i];

		if (c >= 0xD800 && c <= 0xDBFF && i + 1 < len &&
			buf[i + 1] >= 0xDC00 && buf[i + 1] <= 0xDFFF)
		{
			c = 0x10000 + ((c - 0xD800) << 10) + (buf[i + 1] - 0xDC00);
			i++;
		}
		emit(o, c);
	}
	return true;
}

ptrdiff_t
cdm_translit(CdmTranslitProfile profile, const cdm_char *in, size_t n,
			 cdm_char *out, size_t cap, const char **err)
{
	UTransliterator *t;
	Output		o = {out, cap, 0};
	size_t		pos = 0;
	size_t		pieces = 0;

	*err = NULL;
	if (profile < 0 || profile >= CDM_TRANSLIT_NPROFILES)
	{
		*err = "unknown transliteration profile";
		return -1;
	}
	t = get_translit(profile, err);
	if (!t)
		return -1;

	while (pos < n)
	{
		size_t		end = pos;
		bool		ascii = true;

		if (is_ascii_space(in[pos]))
		{
			emit(&o, in[pos++]);
			continue;
		}
		while (end < n && end - pos < PIECE_MAX && !is_ascii_space(in[end]))
			ascii &= in[end++] < 128;
		if (ascii)
			for (size_t i = pos; i < end; i++)
				emit(&o, in[i]);
		else if (!translit_piece(t, in + pos, end - pos, &o, err))
			return -1;
		pos = end;
		if ((++pieces & 63) == 0)
			CDM_CHECK_INTERRUPTS();
	}
	return o.n;
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
