#ifndef TRAILHOUND_CDEFLATE_SHIM_H
#define TRAILHOUND_CDEFLATE_SHIM_H

// libdeflate compresses and decompresses whole buffers several times faster than zlib's
// streaming interface; its zlib format is the one zlib's uncompress() (and so the sqlite3
// shell's sqlar_uncompress) reads.
#include <libdeflate.h>

#endif
