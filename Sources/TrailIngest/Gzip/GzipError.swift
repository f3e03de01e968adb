/// A failure to set up zlib itself (not a problem with the data, which ``Inflater/Step``
/// reports instead).
enum GzipError: Error, Equatable {
    case initializationFailed(code: Int)
}
