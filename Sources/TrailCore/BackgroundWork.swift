import Foundation
import Synchronization

/// Work started on a thread of its own, whose outcome the starting thread collects.
package final class BackgroundWork: Sendable {
    private let outcome = Mutex<Result<Void, any Error>?>(nil)
    private let done = DispatchSemaphore(value: 0)

    /// Starts `work` at once.
    package init(_ work: @escaping @Sendable () throws -> Void) {
        let thread = Thread { [self] in
            let result = Result { try work() }
            outcome.withLock { $0 = result }
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Waits for the work to end.
    ///
    /// - Returns: Success, or the error it threw. Call once.
    package func wait() -> Result<Void, any Error> {
        done.wait()
        guard let result = outcome.withLock({ $0 }) else {
            preconditionFailure("the thread sets its outcome before it signals")
        }
        return result
    }
}
