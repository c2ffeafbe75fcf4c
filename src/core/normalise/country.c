/*
 * country.c - country names to ISO 3166-1 alpha-2 codes (see country.h).
 */
#include "country.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/uloc.h>
#include <unicode/ustring.h>

#include "fold.h"

#define NAME_MAX_BYTES 64
#define MAX_COUNTRIES 300

typedef struct CountryName
{
	char		name[NAME_MAX_BYTES];
	char		code[3];
} CountryName;

static CountryName table[MAX_COUNTRIES + 8];
static size_t ntable;
static bool built;

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(((const CountryName *) a)->name, ((const CountryName *) b)->name);
}

static void
add(const char *name, size_t len, const char *code)
{
	char		folded[NAME_MAX_BYTES];
	size_t		n;

	if (len >= NAME_MAX_BYTES || ntable >= MAX_COUNTRIES + 8)
		return;
	n = cdm_fold_ascii(name, len, folded);
	memcpy(table[ntable].name, folded, n);
	table[ntable].name[n] = '\0';
	memcpy(table[ntable].code, code, 3);
	ntable++;
}

static bool
ascii_only(const UChar *u, int32_t n)
{
	for (int32_t i = 0; i < n; i++)
		if (u[i] >= 0x80)
			return false;
	return true;
}

/* Every ISO country's English name, and a few names customers write. */
static void
build(void)
{
	const char *const *iso = uloc_getISOCountries();

	for (; *iso && ntable < MAX_COUNTRIES; iso++)
	{
		char		locale[8] = "_";
		UChar		u[NAME_MAX_BYTES];
		char		name[NAME_MAX_BYTES];
		UErrorCode	status = U_ZERO_ERROR;
		int32_t		n;

		strncat(locale, *iso, 3);
		n = uloc_getDisplayCountry(locale, "en", u, NAME_MAX_BYTES, &status);
		if (U_FAILURE(status) || n <= 0 || n >= NAME_MAX_BYTES)
			continue;
		/* English display names are ASCII but for a few (Curaçao): skip those */
		if (!ascii_only(u, n))
			continue;
		u_UCharsToChars(u, name, n);
		add(name, (size_t) n, *iso);
	}
	add("USA", 3, "US");
	add("United States of America", 24, "US");
	add("UK", 2, "GB");
	add("England", 7, "GB");
	add("Great Britain", 13, "GB");
	qsort(table, ntable, sizeof(CountryName), cmp_name);
	built = true;
}

bool
cdm_country_code(const char *s, size_t len, char code[3])
{
	CountryName key;
	const CountryName *hit;

	if (len == 2 && s[0] >= 'a' && s[0] <= 'z' && s[1] >= 'a' && s[1] <= 'z')
	{
		/* a code: ISO's list is sorted, ICU keeps it so */
		const char *const *iso = uloc_getISOCountries();

		for (; *iso; iso++)
		{
			if ((*iso)[0] == s[0] - 'a' + 'A' && (*iso)[1] == s[1] - 'a' + 'A')
			{
				memcpy(code, *iso, 3);
				return true;
			}
		}
	}
	if (len == 0 || len >= NAME_MAX_BYTES)
		return false;
	if (!built)
		build();
	memcpy(key.name, s, len);
	key.name[len] = '\0';
	hit = bsearch(&key, table, ntable, sizeof(CountryName), cmp_name);
	if (hit == NULL)
		return false;
	memcpy(code, hit->code, 3);
	return true;
}
