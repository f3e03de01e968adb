#ifndef TRAILHOUND_CMAXMINDDB_SHIM_H
#define TRAILHOUND_CMAXMINDDB_SHIM_H

#include <maxminddb.h>

// `MMDB_get_value` takes its path as C variadic arguments, which Swift cannot call; these
// wrappers pass a path of one or two map keys, the NULL that ends it included.
static inline int trailhound_mmdb_value1(MMDB_entry_s *entry, MMDB_entry_data_s *data, const char *key) {
    return MMDB_get_value(entry, data, key, NULL);
}

static inline int trailhound_mmdb_value2(
    MMDB_entry_s *entry, MMDB_entry_data_s *data, const char *key, const char *member) {
    return MMDB_get_value(entry, data, key, member, NULL);
}

#endif
