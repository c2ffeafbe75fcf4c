/*
 * test_email.c - e-mail validation and normalisation.
 */
#include "unit.h"

#include <time.h>

#include "email.h"

static char result[CDM_EMAIL_MAX + 1];

/* The normalised address as a C string, "<invalid>" or "<icu error>". */
static const char *
norm(const char *s)
{
	const char *err;
	ptrdiff_t	n = cdm_email_norm(s, strlen(s), result, CDM_EMAIL_MAX, &err);

	if (n == CDM_EMAIL_INVALID)
		return "<invalid>";
	if (n < 0)
		return "<icu error>";
	if (n > CDM_EMAIL_MAX)
		return "<too long>";
	result[n] = '\0';
	return result;
}

static bool
valid(const char *s)
{
	const char *err;

	return cdm_email_valid(s, strlen(s), &err) == 1;
}

/* A domain through the fast path or through ICU, as a C string. */
static const char *
domain(const char *d, bool force_icu, char *buf)
{
	const char *err;
	ptrdiff_t	n = cdm_email_domain(d, strlen(d), force_icu, buf, 300, &err);

	if (n == CDM_EMAIL_INVALID)
		return "<invalid>";
	if (n < 0 || n > 300)
		return "<error>";
	buf[n] = '\0';
	return buf;
}

static char *
repeat(char *buf, char c, size_t n)
{
	memset(buf, c, n);
	buf[n] = '\0';
	return buf;
}

static void
test_providers(void)
{
	/* the example of the issue, and the rest of the Gmail rules */
	CHECK_STR(norm("J.Doe+shop@GMail.com"), "jdoe@gmail.com", "gmail: dots and tag");
	CHECK_STR(norm("j.doe@googlemail.com"), "jdoe@gmail.com", "googlemail is gmail");
	CHECK_STR(norm("J.D.o.e+a+b@GoogleMail.COM"), "jdoe@gmail.com", "from the first '+'");
	CHECK_STR(norm("jdoe+@gmail.com"), "jdoe@gmail.com", "empty tag");
	CHECK_STR(norm("+shop@gmail.com"), "<invalid>", "nothing left of the mailbox");
	/* fuzz_email: the tag's dot left at the end gave "x.@outlook.com", not an address */
	CHECK_STR(norm("x.+yz@outlook.com"), "<invalid>", "a dot before the tag");
	CHECK_STR(norm("x.+@icloud.com"), "<invalid>", "a dot before an empty tag");
	CHECK_STR(norm("x.+yz@gmail.com"), "x@gmail.com", "gmail drops the dot too");
	CHECK_STR(norm("x.+yz@example.com"), "x.+yz@example.com", "other domains keep the tag");
	/* dots matter everywhere else */
	CHECK_STR(norm("J.Doe@example.com"), "j.doe@example.com", "dots kept");
	CHECK_STR(norm("j.doe+x@outlook.com"), "j.doe@outlook.com", "outlook: tag only");
	CHECK_STR(norm("a+b@example.com"), "a+b@example.com", "unknown provider keeps its tag");
	CHECK_STR(norm("a+b@mail.gmail.com"), "a+b@mail.gmail.com", "exact domains only");

	/* the plus-address table */
	{
		static const char *const plus[][2] = {
			{"hotmail.com", "hotmail.com"}, {"live.com", "live.com"}, {"msn.com", "msn.com"},
			{"outlook.com", "outlook.com"}, {"icloud.com", "icloud.com"},
			{"me.com", "icloud.com"}, {"mac.com", "icloud.com"},
			{"fastmail.com", "fastmail.com"}, {"fastmail.fm", "fastmail.fm"},
			{"proton.me", "proton.me"}, {"protonmail.com", "protonmail.com"},
			{"protonmail.ch", "protonmail.ch"}, {"pm.me", "pm.me"},
		};

		for (size_t i = 0; i < sizeof(plus) / sizeof(plus[0]); i++)
		{
			char		in[64];
			char		want[64];

			snprintf(in, sizeof(in), "Jo.Ann+News@%s", plus[i][0]);
			snprintf(want, sizeof(want), "jo.ann@%s", plus[i][1]);
			CHECK_STR(norm(in), want, "plus addressing at %s", plus[i][0]);
		}
	}
	/* Yahoo's disposable addresses use '-', and '+' is no separator there */
	CHECK_STR(norm("john-shop@yahoo.com"), "john-shop@yahoo.com", "yahoo '-' kept");
	CHECK_STR(norm("john+shop@yahoo.com"), "john+shop@yahoo.com", "yahoo '+' kept");
}

static void
test_case_and_space(void)
{
	CHECK_STR(norm("ALICE@EXAMPLE.ORG"), "alice@example.org", "upper case");
	CHECK_STR(norm("  alice@example.org\t\n"), "alice@example.org", "spaces and tabs");
	CHECK_STR(norm("\xc2\xa0" "alice@example.org" "\xc2\xa0"), "alice@example.org", "NBSP");
	CHECK_STR(norm("\xe3\x80\x80" "alice@example.org" "\xe2\x80\xaf"), "alice@example.org",
			  "ideographic space, narrow NBSP");
	CHECK_STR(norm("\xef\xbb\xbf" "alice@example.org" "\xe2\x80\x8b"), "alice@example.org",
			  "BOM and zero width space");
	CHECK_STR(norm("\xc2\x85" "alice@example.org" "\xe2\x80\xa8"), "alice@example.org",
			  "NEL and line separator");
	CHECK_STR(norm("alice\xc2\xa0@example.org"), "<invalid>", "NBSP inside");
	CHECK_STR(norm("a b@example.org"), "<invalid>", "space in the local part");
	CHECK_STR(norm("ab@exam ple.org"), "<invalid>", "space in the domain");
	CHECK_STR(norm("ab@example.org\xc2\xa0x"), "<invalid>", "NBSP then more");
	CHECK_STR(norm(""), "<invalid>", "empty");
	CHECK_STR(norm(" \t\xc2\xa0 "), "<invalid>", "only white space");
}

static void
test_unicode(void)
{
	/* IDN domains come out as Unicode NFC, from either form */
	CHECK_STR(norm("anna@xn--bcher-kva.de"), "anna@bücher.de", "A-label decoded");
	CHECK_STR(norm("Anna@BÜCHER.de"), "anna@bücher.de", "U-label lower-cased");
	CHECK_STR(norm("anna@XN--BCHER-KVA.DE"), "anna@bücher.de", "upper-case A-label");
	CHECK_STR(norm("anna@bu\xcc\x88" "cher.de"), "anna@bücher.de", "decomposed umlaut composed");
	CHECK_STR(norm("info@faß.de"), "info@faß.de", "non-transitional: ß kept");
	CHECK_STR(norm("info@xn--fa-hia.de"), "info@faß.de", "ß from its A-label");
	CHECK_STR(norm("info@ＥＸＡＭＰＬＥ.com"), "info@example.com", "full-width domain mapped");
	CHECK_STR(norm("info@example\xef\xbc\x8e" "com"), "info@example.com", "full-width dot");
	CHECK_STR(norm("info@пример.рф"), "info@пример.рф", "Cyrillic domain");
	CHECK_STR(norm("info@xn--e1afmkfd.xn--p1ai"), "info@пример.рф", "Cyrillic A-labels");
	CHECK_STR(norm("info@例え.jp"), "info@例え.jp", "Japanese domain");
	/* EAI local parts: letters, lower-cased with ICU, NFC */
	CHECK_STR(norm("ÜBER@example.de"), "über@example.de", "non-ASCII local part lower-cased");
	CHECK_STR(norm("u\xcc\x88" "ber@example.de"), "über@example.de", "local part NFC");
	CHECK_STR(norm("ΟΔΥΣΣΕΥΣ@example.gr"), "οδυσσευς@example.gr", "final sigma");
	CHECK_STR(norm("Иван.Петров@пример.рф"), "иван.петров@пример.рф", "Cyrillic address");
	CHECK_STR(norm("用户@例子.广告"), "用户@例子.广告", "Chinese address");
	CHECK_STR(norm("İpek@example.com"), "i\xcc\x87" "pek@example.com", "root locale: İ -> i + U+0307");
	/* symbols are not letters */
	CHECK_STR(norm("\xf0\x9f\x98\x80@example.com"), "<invalid>", "emoji local part");
	CHECK_STR(norm("a\xf0\x9f\x98\x80" "b@example.com"), "<invalid>", "emoji inside the local part");
	CHECK_STR(norm("a@i\xe2\x9d\xa4.ws"), "<invalid>", "emoji domain (UTS 46 would take it)");
	CHECK_STR(norm("a@xn--i-7iq.ws"), "<invalid>", "emoji domain as A-label");
	CHECK_STR(norm("a＠example.com"), "<invalid>", "full-width @ is not @");
	/* broken input */
	CHECK_STR(norm("\xff" "a@example.com"), "<invalid>", "ill-formed UTF-8 in local part");
	CHECK_STR(norm("a@exam\xc3" ".com"), "<invalid>", "ill-formed UTF-8 in domain");
	CHECK_STR(norm("a@xn--a.com"), "<invalid>", "bad punycode");
	CHECK_STR(norm("a@xn--.com"), "<invalid>", "empty punycode");
}

static void
test_syntax(void)
{
	char		a[400];
	char		b[400];
	char		c[400];
	char		s[2048];

	CHECK_STR(norm("no-at-sign.example.com"), "<invalid>", "no @");
	CHECK_STR(norm("a@b@example.com"), "<invalid>", "two @");
	CHECK_STR(norm("@example.com"), "<invalid>", "empty local part");
	CHECK_STR(norm("alice@"), "<invalid>", "empty domain");
	CHECK_STR(norm(".alice@example.com"), "<invalid>", "leading dot");
	CHECK_STR(norm("alice.@example.com"), "<invalid>", "trailing dot");
	CHECK_STR(norm("al..ice@example.com"), "<invalid>", "double dot");
	CHECK_STR(norm("al..ice@gmail.com"), "<invalid>", "double dot, even where dots don't matter");
	CHECK_STR(norm("alice@localhost"), "<invalid>", "one label");
	CHECK_STR(norm("alice@example.com."), "<invalid>", "trailing root dot");
	CHECK_STR(norm("alice@example.com\xe3\x80\x82"), "<invalid>", "trailing ideographic full stop");
	CHECK_STR(norm("alice@.example.com"), "<invalid>", "leading dot in domain");
	CHECK_STR(norm("alice@example..com"), "<invalid>", "empty label");
	CHECK_STR(norm("\"john doe\"@example.com"), "<invalid>", "quoted local part");
	CHECK_STR(norm("\"john\"@example.com"), "<invalid>", "quoted, even without spaces");
	CHECK_STR(norm("user@[192.0.2.1]"), "<invalid>", "IP literal");
	CHECK_STR(norm("user@192.0.2.1"), "<invalid>", "bare IP address: numeric TLD");
	CHECK_STR(norm("user@example.123"), "<invalid>", "numeric TLD");
	CHECK_STR(norm("user@123.example"), "user@123.example", "numeric label elsewhere is fine");
	CHECK_STR(norm("user@example.c0m"), "user@example.c0m", "TLD with a digit is fine");
	CHECK_STR(norm("mailto:alice@example.com"), "<invalid>", "mailto: prefix");
	CHECK_STR(norm("Alice <alice@example.com>"), "<invalid>", "display name");
	CHECK_STR(norm("<alice@example.com>"), "<invalid>", "angle brackets");
	CHECK_STR(norm("alice(comment)@example.com"), "<invalid>", "comment");
	CHECK_STR(norm("alice@-example.com"), "<invalid>", "leading hyphen");
	CHECK_STR(norm("alice@example-.com"), "<invalid>", "trailing hyphen");
	CHECK_STR(norm("alice@ab--cd.com"), "<invalid>", "hyphens in positions 3-4 (UTS 46)");
	CHECK_STR(norm("alice@a-b--c.com"), "alice@a-b--c.com", "double hyphen elsewhere");
	CHECK_STR(norm("alice@ex_ample.com"), "<invalid>", "underscore in domain");
	CHECK_STR(norm("a!#$%&'*+-/=?^_`{|}~z@example.com"), "a!#$%&'*+-/=?^_`{|}~z@example.com",
			  "every atext character");
	CHECK_STR(norm("a\x01" "b@example.com"), "<invalid>", "control character");
	CHECK_STR(norm("a,b@example.com"), "<invalid>", "comma");

	/* label length: 63 octets */
	snprintf(s, sizeof(s), "a@%s.com", repeat(a, 'x', 63));
	CHECK(valid(s), "63-octet label");
	snprintf(s, sizeof(s), "a@%s.com", repeat(a, 'x', 64));
	CHECK(!valid(s), "64-octet label");
	/* ... counted in the A-label form */
	CHECK(valid("a@一二三四五六七八九十百千万亿兆.jp"), "15 Han characters: A-label of 42");
	CHECK(!valid("a@一二三四五六七八九十百千万亿兆京例子广告测试网络邮件地址中文域名系统.jp"),
		  "30 Han characters: A-label longer than 63");

	/* local part: 64 octets */
	snprintf(s, sizeof(s), "%s@example.com", repeat(a, 'l', 64));
	CHECK(valid(s), "64-octet local part");
	snprintf(s, sizeof(s), "%s@example.com", repeat(a, 'l', 65));
	CHECK(!valid(s), "65-octet local part");
	/* 32 two-octet letters fit, 33 do not */
	s[0] = '\0';
	for (int i = 0; i < 32; i++)
		strcat(s, "é");
	strcat(s, "@example.com");
	CHECK(valid(s), "64 octets of é");
	memmove(s + 2, s, strlen(s) + 1);
	memcpy(s, "é", 2);
	CHECK(!valid(s), "66 octets of é");
	/* a 64-octet local part that is only short once the Gmail rules apply is still too long */
	snprintf(s, sizeof(s), "%s+tag@gmail.com", repeat(a, 'g', 61));
	CHECK(!valid(s), "limits apply before provider rules");

	/* whole address: 254 octets */
	repeat(a, 'l', 64);
	repeat(b, 'x', 63);
	repeat(c, 'y', 63);
	snprintf(s, sizeof(s), "%s@%s.%s.%s.com", a, b, c, repeat(c + 100, 'z', 57));
	CHECK_INT(strlen(s), 254, "built a 254-octet address");
	CHECK(valid(s), "254-octet address");
	snprintf(s, sizeof(s), "%s@%s.%s.%s.com", a, b, c, repeat(c + 100, 'z', 58));
	CHECK(!valid(s), "255-octet address");
	/* the A-label form counts too: bücher is 7 octets, xn--bcher-kva 13 */
	snprintf(s, sizeof(s), "%s@%s.%s.%s.bücher.de", a, b, c, repeat(c + 100, 'z', 46));
	CHECK_INT(strlen(s), 250, "built a 250-octet IDN address");
	CHECK(!valid(s), "250 octets in UTF-8 but 256 in A-label form");
}

/* The fast path and ICU must agree on every ASCII domain without A-labels. */
static void
test_fast_path(void)
{
	static const char *const domains[] = {
		"example.com", "EXAMPLE.COM", "Mixed-Case.Example.Org", "a.b", "a.b.c.d.e.f",
		"123.example", "example.123", "1.2.3.4", "x.c0m", "a-b.com", "a--b.com",
		"ab--cd.com", "xn.com", "xn-a.com", "x-n--a.com", "-a.com", "a-.com",
		"a.-b", "a.b-", "a..b", ".a.b", "a.b.", ".", "", "localhost", "a_b.com",
		"a b.com", "a!b.com", "a/b.com", "[1.2.3.4]", "a\tb.com", "a.b\x7f",
		"ex%41mple.com", "0.0", "a.0", "0.a",
	};
	char		a[300];
	char		b[300];
	char		big[320];

	for (size_t i = 0; i < sizeof(domains) / sizeof(domains[0]); i++)
		CHECK_STR(domain(domains[i], false, a), domain(domains[i], true, b),
				  "fast path = ICU for '%s'", domains[i]);

	/* lengths: labels of 63 and 64, domains of 253 and 254 octets */
	for (int len = 62; len <= 65; len++)
	{
		snprintf(big, sizeof(big), "%s.com", repeat(a, 'k', (size_t) len));
		CHECK_STR(domain(big, false, a), domain(big, true, b), "fast = ICU, label of %d", len);
	}
	for (int len = 252; len <= 255; len++)
	{
		/* labels of 63 + '.' until len octets */
		size_t		k = 0;

		while (k < (size_t) len)
		{
			big[k] = ((k + 1) % 64 == 0 && k + 1 < (size_t) len) ? '.' : 'd';
			k++;
		}
		big[k] = '\0';
		CHECK_STR(domain(big, false, a), domain(big, true, b), "fast = ICU, domain of %d", len);
	}
	CHECK_STR(domain("Example.COM", false, a), "example.com", "fast path lower-cases");
	CHECK_STR(domain("xn--bcher-kva.de", false, a), "bücher.de", "A-labels always take ICU");
}

static void
test_buffer_and_long_input(void)
{
	const char *err;
	char		small[8] = "unused!";
	size_t		big = 100000;
	char	   *s = malloc(big + 64);
	clock_t		t0;
	double		secs;

	/* too small: the needed size, nothing written */
	CHECK_INT(cdm_email_norm("J.Doe@Example.com", 17, small, 8, &err), 17, "needed size");
	CHECK_STR(small, "unused!", "nothing written when too small");
	CHECK_INT(cdm_email_norm("J.Doe@Example.com", 17, NULL, 0, &err), 17, "cap 0");
	CHECK_INT(cdm_email_norm("J.Doe@Example.com", 17, small, 8, &err) > 0 &&
			  cdm_email_norm("J.Doe", 5, small, 8, &err) == CDM_EMAIL_INVALID, 1,
			  "invalid is invalid at any capacity");
	/* not NUL-terminated: length is what counts */
	CHECK_INT(cdm_email_norm("a@b.co  trailing garbage", 6, result, CDM_EMAIL_MAX, &err), 6,
			  "reads only len bytes");

	/* 100k characters: invalid, quickly */
	memset(s, 'a', big);
	strcpy(s + big, "@example.com");
	t0 = clock();
	CHECK_INT(cdm_email_norm(s, strlen(s), result, CDM_EMAIL_MAX, &err), CDM_EMAIL_INVALID,
			  "100k local part");
	for (size_t i = 0; i < big; i += 2)
		memcpy(s + i, "é", 2);
	CHECK_INT(cdm_email_norm(s, strlen(s), result, CDM_EMAIL_MAX, &err), CDM_EMAIL_INVALID,
			  "100k non-ASCII local part");
	memset(s, 'a', big);
	memcpy(s, "a@", 2);
	s[big] = '\0';
	CHECK_INT(cdm_email_norm(s, big, result, CDM_EMAIL_MAX, &err), CDM_EMAIL_INVALID,
			  "100k domain");
	secs = (double) (clock() - t0) / CLOCKS_PER_SEC;
	CHECK(secs < 0.05, "long inputs rejected in %.4f s", secs);

	/* 100k spaces around an address: trimmed, and interruptible */
	memset(s, ' ', big);
	memcpy(s + big / 2, "X@Example.com", 13);
	cdm_check_interrupts = unit_count_interrupt;
	unit_interrupts = 0;
	CHECK_INT(cdm_email_norm(s, big, result, CDM_EMAIL_MAX, &err), 13, "padded address");
	CHECK(unit_interrupts > 0, "trimming checks for interrupts (%ld)", unit_interrupts);
	cdm_check_interrupts = NULL;
	free(s);
}

/* norm(norm(x)) = norm(x), and valid() = (norm() != NULL). */
static void
test_idempotent(void)
{
	static const char *const inputs[] = {
		"J.Doe+shop@GMail.com", "Anna@BÜCHER.de", "anna@xn--bcher-kva.de",
		"ΟΔΥΣΣΕΥΣ@example.gr", "İpek@example.com", "u\xcc\x88" "ber@example.de",
		"x+y@me.com", "info@ＥＸＡＭＰＬＥ.com", "a..b@example.com", "a@b",
	};

	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++)
	{
		char		once[CDM_EMAIL_MAX + 1];
		bool		ok = valid(inputs[i]);

		strcpy(once, norm(inputs[i]));
		CHECK_INT(ok, strcmp(once, "<invalid>") != 0, "valid agrees with norm on '%s'", inputs[i]);
		if (ok)
			CHECK_STR(norm(once), once, "idempotent on '%s'", inputs[i]);
	}
}

int
main(void)
{
	test_providers();
	test_case_and_space();
	test_unicode();
	test_syntax();
	test_fast_path();
	test_buffer_and_long_input();
	test_idempotent();
	return unit_report("email");
}
