/*
 * phone.cpp - the C interface of phone.h over libphonenumber.
 *
 * libphonenumber throws nothing by design, but std::string and protobuf can
 * throw std::bad_alloc; every extern "C" function therefore catches
 * everything, so no exception ever unwinds into C (or PostgreSQL) frames.
 *
 * State lives for the whole process: the PhoneNumberUtil singleton, a table
 * of supported regions, and the strings and PhoneNumber reused by every call
 * (cleared, not reallocated, so steady-state calls do not grow the heap).
 *
 * Parsing with libphonenumber costs several microseconds (its rules are ICU
 * regular expressions), so the commonest shape -- a NANPA number written as
 * 10 digits, 1 + 10 digits or +1 + 10 digits with ordinary punctuation -- is
 * answered directly, with the results libphonenumber gives (see
 * nanpa_national; test_phone.c compares both paths over every NANPA region).
 */
#include "phone.h"

#include <cstdint>
#include <cstring>
#include <memory>
#include <list>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <phonenumbers/logger.h>
#include <phonenumbers/phonemetadata.pb.h>
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#ifndef CDM_PHONENUMBER_VERSION
#define CDM_PHONENUMBER_VERSION "unknown"
#endif

/*
 * libphonenumber's compiled-in metadata (a serialised PhoneMetadataCollection),
 * exported by the library but declared only in its private metadata.h.
 */
namespace i18n
{
namespace phonenumbers
{
int			metadata_size();
const void *metadata_get();
}
}

using i18n::phonenumbers::NullLogger;
using i18n::phonenumbers::PhoneMetadata;
using i18n::phonenumbers::PhoneMetadataCollection;
using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

bool		cdm_phone_fast_path = true;
unsigned long cdm_phone_memo_hits;

namespace
{

enum RegionKind : unsigned char
{
	REGION_NONE = 0,			/* not a region libphonenumber has */
	REGION_OTHER,
	REGION_NANPA,				/* country calling code 1: US, CA, JM, ... */
	REGION_ZZ					/* no default region: + numbers only */
};

/*
 * The regions of one country calling code that is_valid() tries itself:
 * those before the first region with leading digits, in libphonenumber's
 * order; complete when no region of the code has leading digits.
 */
struct CallingCode
{
	std::vector<std::string> regions;
	bool		complete = false;
	bool		done = false;		/* filled in */
};

#define CDM_PHONE_MAX_CC 1000	/* country calling codes have 1-3 digits */

/*
 * The last E.164 results, by input and region (direct-mapped by a hash):
 * the store reads the same numbers again and again (a stored record's
 * phone each time it is a candidate), and a libphonenumber parse costs
 * several microseconds.  The result depends on nothing else, so a hit
 * answers what a parse would.  Only short inputs are kept.
 */
#define CDM_PHONE_MEMO_SLOTS 16384	/* a power of two */
#define CDM_PHONE_MEMO_INPUT 32

struct E164Memo
{
	uint8_t		len;			/* input bytes; 0 = empty slot */
	uint8_t		region_len;
	char		region[3];
	char		input[CDM_PHONE_MEMO_INPUT];
	unsigned char status;		/* a CdmPhoneStatus */
	char		out[CDM_PHONE_E164_SIZE];
};

struct PhoneState
{
	PhoneNumberUtil *util = nullptr;
	RegionKind	kind[26 * 26] = {};	/* by two upper-case letters */
	CallingCode calling_code[CDM_PHONE_MAX_CC];
	std::string input;
	std::string region;
	std::string formatted;
	std::string next;
	PhoneNumber number;
	PhoneNumber again;			/* settle()'s reading of the E.164 form */
	E164Memo	memo[CDM_PHONE_MEMO_SLOTS];
};

PhoneState *phone_state_ptr;

/*
 * For is_valid(): the regions of each geographic country calling code, in
 * the order GetRegionCodeForNumber tries them, cut at the first region with
 * leading digits (whose region is chosen by a regular expression only
 * libphonenumber holds).  Whether a region has leading digits is in the
 * metadata compiled into libphonenumber; should it not parse, every code is
 * left empty and is_valid() asks IsValidNumber for every number.
 */
void
calling_codes(PhoneState *s, const std::set<std::string> &supported)
{
	PhoneMetadataCollection collection;
	std::set<std::string> leading;
	std::list<std::string> regions;

	if (!collection.ParseFromArray(i18n::phonenumbers::metadata_get(),
								   i18n::phonenumbers::metadata_size()))
		return;
	for (const PhoneMetadata &m : collection.metadata())
		if (m.has_leading_digits())
			leading.insert(m.id());
	for (const std::string &r : supported)
	{
		int			cc = s->util->GetCountryCodeForRegion(r);
		CallingCode &c = s->calling_code[cc > 0 && cc < CDM_PHONE_MAX_CC ? cc : 0];

		if (cc <= 0 || cc >= CDM_PHONE_MAX_CC || c.done)
			continue;
		c.done = true;
		regions.clear();
		s->util->GetRegionCodesForCountryCallingCode(cc, &regions);
		c.complete = true;
		for (const std::string &rr : regions)
		{
			if (leading.count(rr) != 0 || supported.count(rr) == 0)
			{
				c.complete = false;
				break;
			}
			c.regions.push_back(rr);
		}
	}
}

/* Created on first use (a constructor at load time could not report errors). */
PhoneState *
phone_state()
{
	if (phone_state_ptr == nullptr)
	{
		std::unique_ptr<PhoneState> s(new PhoneState());
		std::set<std::string> regions;

		s->util = PhoneNumberUtil::GetInstance();
		if (s->util == nullptr)
			throw std::runtime_error("no PhoneNumberUtil");
		/* It would otherwise write to stderr, i.e. the server log. */
		s->util->SetLogger(new NullLogger());
		s->util->GetSupportedRegions(&regions);
		for (const std::string &r : regions)
		{
			if (r.size() != 2 || r[0] < 'A' || r[0] > 'Z' || r[1] < 'A' || r[1] > 'Z')
				continue;
			s->kind[(r[0] - 'A') * 26 + (r[1] - 'A')] =
				s->util->GetCountryCodeForRegion(r) == 1 ? REGION_NANPA : REGION_OTHER;
		}
		s->kind[('Z' - 'A') * 26 + ('Z' - 'A')] = REGION_ZZ;
		calling_codes(s.get(), regions);
		s->region.reserve(2);
		s->formatted.reserve(CDM_PHONE_E164_SIZE);
		s->input.reserve(CDM_PHONE_MAX_INPUT);
		phone_state_ptr = s.release();
	}
	return phone_state_ptr;
}

/* Two letters, any case; up receives them in upper case. */
RegionKind
region_kind(const PhoneState *s, const char *region, size_t len, char *up)
{
	if (len != 2)
		return REGION_NONE;
	for (size_t i = 0; i < 2; i++)
	{
		char		c = region[i];

		if (c >= 'a' && c <= 'z')
			c = (char) (c - 'a' + 'A');
		if (c < 'A' || c > 'Z')
			return REGION_NONE;
		up[i] = c;
	}
	return s->kind[(up[0] - 'A') * 26 + (up[1] - 'A')];
}

/*
 * The NANPA shapes parsed without libphonenumber: only ASCII digits and
 * space - . ( ), with at most one + before the first digit, and then
 *   +1 NXXNXXXXXX         under any region (libphonenumber reads country
 *                         code 1 first; nothing is left to strip),
 *   1 NXXNXXXXXX          under a NANPA region (11 digits are too long for
 *                         NANPA, so the leading 1 is taken as country code),
 *   NXXNXXXXXX            under a NANPA region (no IDD 011, no national
 *                         prefix 1: the ten digits are the national number),
 * where N is 2-9.  Every such number has NANPA's one possible length, 10.
 * Writes the ten national digits; false sends the input to libphonenumber.
 */
bool
nanpa_national(const char *s, size_t len, bool nanpa_region, char *national)
{
	char		d[11];
	size_t		nd = 0;
	bool		plus = false;
	const char *nsn;

	for (size_t i = 0; i < len; i++)
	{
		char		c = s[i];

		if (c >= '0' && c <= '9')
		{
			if (nd == sizeof(d))
				return false;
			d[nd++] = c;
		}
		else if (c == '+' && !plus && nd == 0)
			plus = true;
		else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')')
			return false;
	}
	if (nd == 11 && d[0] == '1' && (plus || nanpa_region))
		nsn = d + 1;
	else if (nd == 10 && !plus && nanpa_region)
		nsn = d;
	else
		return false;
	if (nsn[0] < '2')
		return false;
	memcpy(national, nsn, 10);
	return true;
}

/* Without an ASCII digit, only non-ASCII input (other digit scripts) can parse. */
bool
hopeless(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if ((c >= '0' && c <= '9') || c >= 0x80)
			return false;
	}
	return true;
}

/* libphonenumber's parse into s->number; false if it is not a number. */
bool
parse(PhoneState *s, const char *phone, size_t len, const char *up)
{
	if (hopeless(phone, len))
		return false;
	s->input.assign(phone, len);
	s->region.assign(up, 2);
	s->number.Clear();
	return s->util->Parse(s->input, s->region, &s->number) ==
		PhoneNumberUtil::NO_PARSING_ERROR;
}

/* How read_number found the number. */
enum Reading
{
	READ_UNKNOWN_REGION,
	READ_NOT_A_NUMBER,
	READ_NANPA,					/* the shortcut: national holds the 10 digits */
	READ_PARSED					/* libphonenumber's parse: s->number holds it */
};

/*
 * What both entry points do first: check the region and the length limit,
 * then take the NANPA shortcut or libphonenumber's parse.
 */
Reading
read_number(PhoneState *s, const char *phone, size_t len, const char *region,
			size_t region_len, char national[10])
{
	char		up[2];
	RegionKind	kind = region_kind(s, region, region_len, up);

	if (kind == REGION_NONE)
		return READ_UNKNOWN_REGION;
	/* libphonenumber refuses longer input; checked first so both paths agree. */
	if (len > CDM_PHONE_MAX_INPUT)
		return READ_NOT_A_NUMBER;
	if (cdm_phone_fast_path &&
		nanpa_national(phone, len, kind == REGION_NANPA, national))
		return READ_NANPA;
	return parse(s, phone, len, up) ? READ_PARSED : READ_NOT_A_NUMBER;
}

/*
 * libphonenumber does not always read its own E.164 output as the same
 * number: when the digits after the country code start with what looks
 * like a national prefix and the number stays possible without it, a
 * parse drops it.  "+88000828000" gives +8800828000, which reads as
 * +880828000; "+52 1 1 779 645 8096" gives +5217796458096, which reads as
 * +527796458096 (found by test/fuzz/fuzz_phone.c).  The result is read
 * again until it stands still, so that the form returned reads back as
 * itself: a column of E.164 numbers normalises to itself, and a number
 * stored normalised still equals the normalised form of what was typed.
 * A change drops digits (one national prefix a round: "0000000000025"
 * in DE loses a 0 each time), so the loop ends within the 20-odd digits
 * of the number; it also stops, to be safe, should a change not shorten
 * it.  A real number costs one more parse, of its E.164 form.
 */
void
settle(PhoneState *s)
{
	for (;;)
	{
		s->input.assign(s->formatted);
		s->again.Clear();
		if (s->util->Parse(s->input, "ZZ", &s->again) != PhoneNumberUtil::NO_PARSING_ERROR ||
			s->util->IsPossibleNumberWithReason(s->again) != PhoneNumberUtil::IS_POSSIBLE)
			return;
		s->util->Format(s->again, PhoneNumberUtil::E164, &s->next);
		if (s->next.size() >= s->formatted.size())
			return;
		s->formatted.swap(s->next);
	}
}

/*
 * IsValidNumber(number), without its second look at a region.  It picks the
 * number's region among those of its calling code -- the first whose
 * leading digits match or, for a region without leading digits, whose
 * number ranges (GetNumberTypeHelper) hold the number -- and then checks the
 * ranges of that region again (IsValidNumberForRegion).  For a region
 * without leading digits the two checks are one: IsValidNumberForRegion of
 * such a region is its ranges check, so the first of them that holds the
 * number makes it valid and none holding it (when no region of the code has
 * leading digits) makes it invalid.  A number no such region holds, when a
 * region with leading digits follows, goes to IsValidNumber itself.  A
 * valid Australian number costs one ranges check instead of two.  Tests
 * compare both ways (cdm_phone_fast_path).
 */
bool
is_valid(PhoneState *s, const PhoneNumber &number)
{
	int			cc = number.country_code();
	const CallingCode *c;

	if (!cdm_phone_fast_path || cc <= 0 || cc >= CDM_PHONE_MAX_CC)
		return s->util->IsValidNumber(number);
	c = &s->calling_code[cc];
	for (const std::string &r : c->regions)
	{
		if (s->util->IsValidNumberForRegion(number, r))
			return true;
	}
	if (c->complete)
		return false;
	return s->util->IsValidNumber(number);
}

}								/* namespace */

namespace
{

/* The memo slot of an input and region, or nullptr when it is not kept. */
E164Memo *
memo_slot(PhoneState *s, const char *phone, size_t len, const char *region,
		  size_t region_len)
{
	uint64_t	h = 14695981039346656037ULL;	/* FNV-1a */

	if (!cdm_phone_fast_path || len == 0 || len > CDM_PHONE_MEMO_INPUT || region_len > 3)
		return nullptr;
	for (size_t i = 0; i < region_len; i++)
		h = (h ^ (unsigned char) region[i]) * 1099511628211ULL;
	h = (h ^ 0xff) * 1099511628211ULL;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char) phone[i]) * 1099511628211ULL;
	return &s->memo[(h ^ (h >> 29)) & (CDM_PHONE_MEMO_SLOTS - 1)];
}

bool
memo_holds(const E164Memo *m, const char *phone, size_t len, const char *region,
		   size_t region_len)
{
	return m->len == len && m->region_len == region_len &&
		memcmp(m->input, phone, len) == 0 && memcmp(m->region, region, region_len) == 0;
}

CdmPhoneStatus
memo_keep(E164Memo *m, const char *phone, size_t len, const char *region,
		  size_t region_len, CdmPhoneStatus status, const char *out)
{
	if (m == nullptr)
		return status;
	m->len = (uint8_t) len;
	m->region_len = (uint8_t) region_len;
	memcpy(m->input, phone, len);
	memcpy(m->region, region, region_len);
	m->status = (unsigned char) status;
	if (status == CDM_PHONE_OK)
		strcpy(m->out, out);
	return status;
}

CdmPhoneStatus
e164_parse(PhoneState *s, const char *phone, size_t len, const char *region,
		   size_t region_len, char *out);

}								/* namespace */

extern "C" CdmPhoneStatus
cdm_phone_e164(const char *phone, size_t len, const char *region,
			   size_t region_len, char *out)
{
	try
	{
		PhoneState *s = phone_state();
		E164Memo   *m = memo_slot(s, phone, len, region, region_len);
		CdmPhoneStatus status;

		if (m != nullptr && memo_holds(m, phone, len, region, region_len))
		{
			status = (CdmPhoneStatus) m->status;
			if (status == CDM_PHONE_OK)
				strcpy(out, m->out);
			cdm_phone_memo_hits++;
			return status;
		}
		status = e164_parse(s, phone, len, region, region_len, out);
		/* an internal error (out of memory) is not the number's answer */
		if (status == CDM_PHONE_INTERNAL_ERROR)
			return status;
		return memo_keep(m, phone, len, region, region_len, status, out);
	}
	catch (...)
	{
		return CDM_PHONE_INTERNAL_ERROR;
	}
}

namespace
{

/*
 * cdm_phone_e164 without the memo: libphonenumber's answer (may throw; the
 * caller catches).
 */
CdmPhoneStatus
e164_parse(PhoneState *s, const char *phone, size_t len, const char *region,
		   size_t region_len, char *out)
{
	char		national[10];

	switch (read_number(s, phone, len, region, region_len, national))
	{
		case READ_UNKNOWN_REGION:
			return CDM_PHONE_UNKNOWN_REGION;
		case READ_NOT_A_NUMBER:
			return CDM_PHONE_NOT_A_NUMBER;
		case READ_NANPA:
			out[0] = '+';
			out[1] = '1';
			memcpy(out + 2, national, 10);
			out[12] = '\0';
			return CDM_PHONE_OK;
		case READ_PARSED:
			break;
	}
	/* Local-only lengths (a US number without area code) have no E.164 form. */
	if (s->util->IsPossibleNumberWithReason(s->number) != PhoneNumberUtil::IS_POSSIBLE)
		return CDM_PHONE_NOT_A_NUMBER;
	s->util->Format(s->number, PhoneNumberUtil::E164, &s->formatted);
	settle(s);
	if (s->formatted.size() >= CDM_PHONE_E164_SIZE)
		return CDM_PHONE_INTERNAL_ERROR;
	memcpy(out, s->formatted.data(), s->formatted.size());
	out[s->formatted.size()] = '\0';
	return CDM_PHONE_OK;
}

}								/* namespace */

extern "C" CdmPhoneStatus
cdm_phone_valid(const char *phone, size_t len, const char *region,
				size_t region_len, bool *valid)
{
	try
	{
		PhoneState *s = phone_state();
		char		national[10];

		*valid = false;
		switch (read_number(s, phone, len, region, region_len, national))
		{
			case READ_UNKNOWN_REGION:
				return CDM_PHONE_UNKNOWN_REGION;
			case READ_NOT_A_NUMBER:
				return CDM_PHONE_OK;
			case READ_NANPA:
				{
					uint64_t	nsn = 0;

					for (int i = 0; i < 10; i++)
						nsn = nsn * 10 + (uint64_t) (national[i] - '0');
					/* What Parse would have built: country code and number, nothing else. */
					s->number.Clear();
					s->number.set_country_code(1);
					s->number.set_national_number(nsn);
				}
				break;
			case READ_PARSED:
				break;
		}
		*valid = is_valid(s, s->number);
		return CDM_PHONE_OK;
	}
	catch (...)
	{
		return CDM_PHONE_INTERNAL_ERROR;
	}
}

extern "C" const char *
cdm_phonenumber_version(void)
{
	return CDM_PHONENUMBER_VERSION;
}
