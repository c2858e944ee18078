import CaseDomain
import Ledger
import Synchronization

/// Completions (approved, denied, withdrawn) per window per day, kept by following the log:
/// the board's "today's completions". The case-state view keeps no per-day counts.
final class CompletionTally: Sendable {
    private struct State {
        /// The seq folded in so far.
        var through: UInt64 = 0
        /// The window of each open, accepted case.
        var windows: [String: String] = [:]
        /// day number → window → completions.
        var days: [Int32: [String: Int]] = [:]
    }
    private let state = Mutex(State())

    /// Folds the log from where it stopped up to its head.
    func advance(_ store: EventStore) throws {
        let from = state.withLock { $0.through } + 1
        var changes: [(seq: UInt64, type: EventType, caseNumber: String, day: Int32, window: String?)] = []
        let last = try store.scan(from: from) { view in
            guard view.stream != .catalog else { return true }
            let type = try view.type
            switch type {
            case .accepted, .transferred, .approved, .denied, .withdrawn:
                var window: String?
                if type == .accepted || type == .transferred {
                    switch try view.data() {
                    case .accepted(let a): window = a.window
                    case .transferred(let to): window = to
                    default: break
                    }
                }
                changes.append((view.seq, type, String(decoding: view.caseBytes, as: UTF8.self),
                                CivilDate(instantMilliseconds: view.at.milliseconds).dayNumber, window))
            default: break
            }
            return true
        }
        state.withLock { state in
            for change in changes where change.seq > state.through {
                switch change.type {
                case .accepted, .transferred: state.windows[change.caseNumber] = change.window
                default:
                    if let window = state.windows.removeValue(forKey: change.caseNumber) {
                        state.days[change.day, default: [:]][window, default: 0] += 1
                    }
                }
            }
            state.through = max(state.through, last)
        }
    }

    /// Each window's completions on `day`.
    func completions(on day: CivilDate) -> [String: Int] {
        state.withLock { $0.days[day.dayNumber] ?? [:] }
    }
}
