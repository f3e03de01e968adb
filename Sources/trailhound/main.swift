#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

exit(Trailhound.main(arguments: Array(CommandLine.arguments.dropFirst())))
