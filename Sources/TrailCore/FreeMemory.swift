/// The C library's hold on freed memory.
package enum FreeMemory {
    /// Gives freed memory back to the system (glibc's `malloc_trim`), for a long run moving from
    /// one phase to the next: what one phase freed would otherwise stay in the process's
    /// resident size, on top of what the next phase takes.
    package static func returnToSystem() {
        #if os(Linux)
            _ = mallocTrim(0)
        #endif
    }
}

#if os(Linux)
    /// glibc's `int malloc_trim(size_t pad)`, which Swift's Glibc module does not import
    /// (`malloc.h` is not among its headers).
    @_silgen_name("malloc_trim")
    private func mallocTrim(_ pad: Int) -> Int32
#endif
