/*
 * test_country.c - country names and codes to ISO 3166-1 alpha-2.
 */
#include "unit.h"

#include "country.h"

static void
check(const char *folded, const char *want)
{
	char		code[3] = "";
	bool		ok = cdm_country_code(folded, strlen(folded), code);

	if (want == NULL)
		CHECK(!ok, "'%s' is not a country (got %s)", folded, code);
	else
	{
		CHECK(ok, "'%s' is a country", folded);
		CHECK_STR(ok ? code : "", want, "code of '%s'", folded);
	}
}

int
main(void)
{
	check("australia", "AU");
	check("au", "AU");
	check("germany", "DE");
	check("united states", "US");
	check("usa", "US");
	check("united states of america", "US");
	check("uk", "GB");
	check("united kingdom", "GB");
	check("new zealand", "NZ");
	check("russia", "RU");
	check("de", "DE");
	check("xx", NULL);				/* two letters ISO does not have */
	check("atlantis", NULL);
	check("", NULL);
	check("australia ", NULL);		/* not folded: fold first */
	return unit_report("country");
}
