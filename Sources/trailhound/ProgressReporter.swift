import Dispatch
import TrailCore
import TrailStore

/// Shows ingest progress on stderr: a live line on a terminal, a plain line every few seconds
/// otherwise, or nothing.
final class ProgressReporter {
    enum Style {
        case none
        case live
        case periodic(intervalSeconds: Double)
    }

    private let style: Style
    private var lastShown = 0.0
    private var isLineShown = false

    init(style: Style) {
        self.style = style
    }

    func start(toRead: Int, unchanged: Int) {
        guard case .none = style else {
            StandardError.writeLine("ingest: \(toRead) files to read, \(unchanged) unchanged")
            return
        }
    }

    func update(_ progress: CaseIngest.Progress) {
        switch style {
        case .none:
            return
        case .live:
            guard progress.elapsedSeconds - lastShown >= 0.1 || progress.filesDone == progress.filesToRead else {
                return
            }
            StandardError.write("\r\u{1B}[K" + line(progress))
            isLineShown = true
        case .periodic(let interval):
            guard progress.elapsedSeconds - lastShown >= interval else { return }
            StandardError.writeLine(line(progress))
        }
        lastShown = progress.elapsedSeconds
    }

    /// Removes the live line so that a message or the summary starts on a clean line.
    func clearLine() {
        guard isLineShown else { return }
        StandardError.write("\r\u{1B}[K")
        isLineShown = false
    }

    private func line(_ progress: CaseIngest.Progress) -> String {
        let seconds = max(progress.elapsedSeconds, 0.001)
        let megabytesPerSecond = Double(progress.decompressedBytes) / 1_000_000 / seconds
        let remaining = progress.filesToRead - progress.filesDone
        let eta = progress.filesDone > 0 ? seconds / Double(progress.filesDone) * Double(remaining) : 0
        return "ingest: \(progress.filesDone)/\(progress.filesToRead) files, \(progress.events) events, "
            + "\(rounded(megabytesPerSecond)) MB/s, ETA \(Int(eta.rounded())) s"
    }

    private func rounded(_ value: Double) -> String {
        String((value * 10).rounded() / 10)
    }
}
