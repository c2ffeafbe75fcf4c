/*
 * phone_pg.h - the phone skin's error reporting, for other parts of the skin.
 */
#ifndef CDM_PHONE_PG_H
#define CDM_PHONE_PG_H

#include "postgres.h"

#include "phone.h"

/*
 * ERROR for a status that is one (an unknown region: 22023 with a hint;
 * libphonenumber failing: XX000); returns for the others.
 */
extern void cdm_phone_check(CdmPhoneStatus status, const text *phone,
							const text *region);

#endif							/* CDM_PHONE_PG_H */
