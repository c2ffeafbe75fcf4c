/*
 * test_name_parts.c - cdm.name_parts: titles, suffixes, commas, particles,
 * lone tokens, and names in every script the issue names.
 */
#include "unit.h"

#include "name_parts.h"
#include "utf8.h"

/* "title|given|middle|family|suffix", "-" for a missing part (malloc'd). */
static char *
parts(const char *s)
{
	size_t		n;
	cdm_char   *in = utf8_to_cps(s, &n);
	size_t		cap = 4;		/* small on purpose: the retry path runs */
	cdm_char   *buf = NULL;
	CdmNameToken *tok = malloc(CDM_NAME_MAX_TOKENS(n) * sizeof(CdmNameToken));
	size_t		ntok;
	const char *err;
	ptrdiff_t	m;
	char	   *r;
	size_t		k = 0;
	cdm_char   *part;
	CdmName		name;

	for (;;)
	{
		buf = realloc(buf, cap * sizeof(cdm_char));
		m = cdm_name_parse(in, n, buf, cap, tok, &ntok, &err);
		if (m < 0)
		{
			fprintf(stderr, "ICU error: %s\n", err);
			exit(2);
		}
		if ((size_t) m <= cap)
			break;
		cap = (size_t) m;
	}
	name.buf = buf;
	name.tok = tok;
	name.ntok = ntok;
	part = malloc(((size_t) m + ntok + 1) * sizeof(cdm_char));
	r = malloc(((size_t) m + ntok) * 4 * CDM_NAME_NROLES + 16);
	for (int role = 0; role < CDM_NAME_NROLES; role++)
	{
		size_t		len = cdm_name_part(&name, (CdmNameRole) role, part);

		if (role > 0)
			r[k++] = '|';
		if (len == 0)
			r[k++] = '-';
		for (size_t i = 0; i < len; i++)
			k += (size_t) cdm_utf8_encode(part[i], r + k);
	}
	r[k] = '\0';
	free(in);
	free(buf);
	free(tok);
	free(part);
	return r;
}

static void
check(const char *s, const char *want)
{
	char	   *got = parts(s);

	CHECK_STR(got, want, "name_parts('%s')", s);
	free(got);
}

int
main(void)
{
	/* the examples */
	check("Dr. John Q. Smith Jr.", "dr|john|q|smith|jr");
	check("Smith, John", "-|john|-|smith|-");
	check("John Smith", "-|john|-|smith|-");
	check("Smith, John, Jr.", "-|john|-|smith|jr");
	check("Smith Jr, John", "-|john|-|smith|jr");
	check("John Smith, Jr.", "-|john|-|smith|jr");
	check("Ludwig van Beethoven", "-|ludwig|-|van beethoven|-");
	check("Maria de la Cruz", "-|maria|-|de la cruz|-");
	check("de la Cruz, Maria", "-|maria|-|de la cruz|-");
	check("Van Morrison", "-|van|-|morrison|-");	/* the given name is never a particle */
	check("Jean-Claude Van Damme", "-|jean claude|-|van damme|-");

	/* titles */
	check("Mr John Smith", "mr|john|-|smith|-");
	check("Mrs. Jane Doe", "mrs|jane|-|doe|-");
	check("Prof. Dr. Hans Müller", "prof dr|hans|-|muller|-");
	check("Sir Elton John", "sir|elton|-|john|-");
	check("Dr. Who", "dr|-|-|who|-");	/* a title makes a lone token the family name */
	check("Dr.", "-|dr|-|-|-");		/* a title alone is kept as a name */
	check("Smith, Dr. John", "dr|john|-|smith|-");
	check("MISS  Ann   Lee", "miss|ann|-|lee|-");

	/* suffixes */
	check("John Smith III", "-|john|-|smith|iii");
	check("John Smith Sr.", "-|john|-|smith|sr");
	check("Jane Doe, Ph.D.", "-|jane|-|doe|phd");
	check("John Smith Jr. PhD", "-|john|-|smith|jr phd");
	check("John V", "-|john|-|v|-");	/* a roman numeral needs two names besides */
	check("John Paul V", "-|john|-|paul|v");
	check("Smith, John V", "-|john|v|smith|-");	/* after a comma v is an initial */
	check("Smith, John III", "-|john|-|smith|iii");
	check("Smith III, John", "-|john|-|smith|iii");
	check("Smith Jr", "-|smith|-|-|jr");
	check("Jr.", "-|jr|-|-|-");

	/* given, middle, family */
	check("John Paul George Ringo Starr", "-|john|paul george ringo|starr|-");
	check("Madonna", "-|madonna|-|-|-");	/* a lone token is a given name */
	check("O'Brien, Mary-Kate", "-|mary kate|-|o brien|-");
	check("García-López, José", "-|jose|-|garcia lopez|-");
	check("José García-López", "-|jose|-|garcia lopez|-");
	check("Smith,John", "-|john|-|smith|-");
	check("Smith,", "-|smith|-|-|-");	/* an empty group after the comma does not count */
	check(", John", "-|john|-|-|-");
	check("Smith, John, Paul", "-|john|paul|smith|-");

	/* scripts */
	check("Иванов, Дмитрий", "-|dmitriy|-|ivanov|-");
	check("Дмитрий Иванов", "-|dmitriy|-|ivanov|-");
	check("Γιώργος Παπαδόπουλος", "-|giorgos|-|papadopoulos|-");
	check("王小明", "-|wang xiao ming|-|-|-");	/* one token: no spaces in the original */
	check("王 小明", "-|wang|-|xiao ming|-");
	check("Ｊｏｈｎ　Ｓｍｉｔｈ", "-|john|-|smith|-");	/* full-width letters, ideographic space */
	check("Ｓｍｉｔｈ，Ｊｏｈｎ", "-|john|-|smith|-");	/* full-width comma */
	check("محمد بن سلمان", "-|mhmd|-|bn slman|-");
	check("Jose\xcc\x81 Mun\xcc\x83oz", "-|jose|-|munoz|-");	/* combining marks */
	check("John 😀 Smith", "-|john|-|smith|-");	/* an emoji token folds away */
	check("😀", "-|-|-|-|-");
	check("", "-|-|-|-|-");
	check("   ", "-|-|-|-|-");
	check(" , ; - ", "-|-|-|-|-");
	check("Mr & Mrs John Smith", "mr mrs|john|-|smith|-");
	return unit_report("name_parts");
}
