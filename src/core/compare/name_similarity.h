/*
 * name_similarity.h - how alike two personal names are, 0..1:
 * cdm.name_similarity.
 *
 * Both names are parsed (name_parts.h): titles are ignored, suffixes
 * compared on their own, and the words of the given, middle and family
 * names (folded, so transliterated and accent-free) are matched one to one
 * whatever their order.  A word pair scores
 *   1      the same word;
 *   0.95   nicknames of each other (the table lists one under the other, or
 *          both have the same cdm_nickname_root): bob ~ robert, unless the
 *          spelling score below is higher (jon ~ john);
 *   0.7    an initial and a word starting with it: j ~ john;
 *   else   Jaro-Winkler, plus 0.05 when the Double Metaphone codes agree,
 *          then mapped by an agreement curve that keeps values from 0.85
 *          up and sends lower ones quickly to 0 (john ~ jane: 0.33).
 * The score is sum(pair weight * agreement) / (sum of pair weights + half
 * the weight of every unmatched word); a word weighs 1, an initial 0.5, a
 * two-letter word 0.7, middle names and particles half that; a pair weighs
 * the mean of its two words.  An unmatched middle name or particle counts
 * only 0.3 of its weight when the other name has none left over (records
 * often omit them), in full when both do (they disagree).  Generational
 * suffixes that disagree (jr / sr, ii / iii) multiply the score by 0.6;
 * other suffixes (phd, md) and titles are ignored.  Pairs are matched
 * greedily, best agreement first, from both sides; the better is kept.
 *
 * A name without words scores 0 against anything, itself included.  At
 * most CDM_NAME_SIM_MAX_WORDS words of each name are used, each cut to 64
 * code points.  Symmetric: sim(a, b) = sim(b, a).
 */
#ifndef CDM_NAME_SIMILARITY_H
#define CDM_NAME_SIMILARITY_H

#include "name_parts.h"

#define CDM_NAME_SIM_MAX_WORDS 16

extern double cdm_name_similarity(const CdmName *a, const CdmName *b);

#endif							/* CDM_NAME_SIMILARITY_H */
