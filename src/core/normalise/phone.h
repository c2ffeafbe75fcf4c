/*
 * phone.h - telephone numbers through Google's libphonenumber (C++), behind
 * a plain C interface: no C++ type and no exception crosses this header.
 *
 * phone.cpp keeps one PhoneNumberUtil (libphonenumber's singleton, whose
 * metadata is compiled into the library) and a few reused buffers for the
 * life of the process.  Every entry point catches every exception and turns
 * it into CDM_PHONE_INTERNAL_ERROR.
 */
#ifndef CDM_PHONE_H
#define CDM_PHONE_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C"
{
#endif

typedef enum CdmPhoneStatus
{
	CDM_PHONE_OK = 0,
	CDM_PHONE_NOT_A_NUMBER,		/* cannot be parsed (or, for E.164, not possible) */
	CDM_PHONE_UNKNOWN_REGION,	/* region is not a region libphonenumber has */
	CDM_PHONE_INTERNAL_ERROR	/* libphonenumber threw (out of memory, ...) */
} CdmPhoneStatus;

/*
 * Room for an E.164 result and its NUL.  E.164 proper stops at 15 digits,
 * but libphonenumber's metadata deems some longer national numbers possible
 * (Japan: up to 17 digits after +81), so '+' and 19 digits can come back.
 */
#define CDM_PHONE_E164_SIZE 24

/* libphonenumber's own input limit (bytes); longer input is not a number. */
#define CDM_PHONE_MAX_INPUT 250

/*
 * Region codes: two ASCII letters, any case, that libphonenumber supports
 * (ISO 3166-1 alpha-2, e.g. US, GB, DE), or ZZ for "no default region":
 * then only numbers written with a leading + (international form) parse.
 * Anything else is CDM_PHONE_UNKNOWN_REGION, whatever the number.
 */

/*
 * The E.164 form (+<country code><national number>) of len bytes of UTF-8,
 * into out (CDM_PHONE_E164_SIZE bytes), NUL-terminated.  NOT_A_NUMBER when
 * libphonenumber cannot parse it or its length is not possible for the
 * country (numbers that are only possible for local dialling, like a US
 * number without its area code, included).  Extensions are dropped.
 */
extern CdmPhoneStatus cdm_phone_e164(const char *phone, size_t len,
									 const char *region, size_t region_len,
									 char *out);

/*
 * libphonenumber's strict check (IsValidNumber: the number matches a number
 * range of its country's metadata) into *valid; false when it cannot be
 * parsed.  Returns OK, UNKNOWN_REGION or INTERNAL_ERROR.
 */
extern CdmPhoneStatus cdm_phone_valid(const char *phone, size_t len,
									  const char *region, size_t region_len,
									  bool *valid);

/*
 * The libphonenumber version cdm was built against (the library has no
 * run-time version call), e.g. "8.12.57", or "unknown".
 */
extern const char *cdm_phonenumber_version(void);

/*
 * phone.cpp answers NANPA numbers written as 10 digits, 1 + 10 digits or
 * +1 + 10 digits without calling libphonenumber's parser, with the same
 * results.  Tests clear this to compare both ways; default true.
 */
extern bool cdm_phone_fast_path;

/*
 * cdm_phone_e164 keeps its last results (16384, by input and region; inputs
 * up to 32 bytes) and answers a repeated input from them: the store reads
 * the same stored numbers again and again.  Not used while
 * cdm_phone_fast_path is false (tests compare against libphonenumber).
 * cdm_phone_memo_hits counts the answers it gave, for tests.
 */
extern unsigned long cdm_phone_memo_hits;

#ifdef __cplusplus
}
#endif

#endif							/* CDM_PHONE_H */
