/// A period in which the case clock stops (特别程序 / 挂起): suspended on `start`,
/// resumed on `end`. Working days D with `start < D ≤ end` do not count toward the limit.
/// `end == nil` means the case has not resumed yet.
public struct SuspensionPeriod: Sendable, Hashable {
    /// The suspension date S.
    public var start: CivilDate
    /// The resume date R, or `nil` while still suspended.
    public var end: CivilDate?

    public init(start: CivilDate, end: CivilDate?) {
        self.start = start
        self.end = end
    }
}

extension WorkCalendar {
    /// Deadline of a case accepted on `acceptedOn` with a limit of `n` working days,
    /// extended by `extensionDays` working days (延长审批), with the clock stopped during
    /// `suspensions`.
    ///
    /// The clock counts working days strictly after `acceptedOn` that are not suspended
    /// (a working day D is suspended when S < D ≤ R for some period); the deadline is the
    /// day the count reaches `n + extensionDays` (`acceptedOn` itself when that is 0).
    /// So each suspended working day before the deadline moves it one working day later;
    /// overlapping periods count once, and a period that starts after the deadline (the case
    /// was already late) does not move it.
    ///
    /// Open periods (`end == nil`) are evaluated as of `asOf`: treated as resuming on
    /// `asOf` ("the deadline if the case resumed today"); they contribute nothing when
    /// `asOf` is before their start. Without `asOf` an open period throws `openSuspension`.
    ///
    /// - Throws: `yearNotLoaded` for any date (acceptance, suspension, deadline) outside the
    ///   loaded years; `negativeWorkingDays`; `invalidSuspension` when R < S; `openSuspension`.
    public func deadline(
        acceptedOn: CivilDate,
        workingDays n: Int,
        suspensions: [SuspensionPeriod],
        extensionDays: Int = 0,
        asOf: CivilDate? = nil
    ) throws(CalendarError) -> CivilDate {
        guard n >= 0 else { throw .negativeWorkingDays(n) }
        guard extensionDays >= 0 else { throw .negativeWorkingDays(extensionDays) }
        let accepted = try index(of: acceptedOn)
        let spans = try suspendedSpans(suspensions, after: accepted, openUntil: asOf)
        var remaining = n + extensionDays
        if remaining == 0 { return acceptedOn }

        var position = accepted  // working days after `position` are still to be counted
        for span in spans {
            let countable = workingDays(afterIndex: position, throughIndex: span.lowerBound - 1)
            if countable >= remaining { break }
            remaining -= countable
            position = span.upperBound
        }
        return try nthWorkingDay(afterIndex: position, remaining)
    }

    /// Effective working days of a completed case: working days D with
    /// `acceptedOn < D ≤ completedOn`, minus the suspended ones in that span (each counted once).
    /// A period still open at completion counts as suspended up to `completedOn`.
    ///
    /// - Throws: `yearNotLoaded` for any date outside the loaded years; `invalidSuspension` when R < S.
    public func effectiveWorkingDays(
        acceptedOn: CivilDate,
        completedOn: CivilDate,
        suspensions: [SuspensionPeriod]
    ) throws(CalendarError) -> Int {
        let accepted = try index(of: acceptedOn)
        let completed = try index(of: completedOn)
        let spans = try suspendedSpans(suspensions, after: accepted, openUntil: completedOn)
        var total = workingDays(afterIndex: accepted, throughIndex: completed)
        for span in spans where span.lowerBound <= completed {
            total -= workingDays(afterIndex: span.lowerBound - 1, throughIndex: min(span.upperBound, completed))
        }
        return total
    }

    /// Suspended days strictly after table index `accepted`, as sorted, disjoint, non-adjacent
    /// inclusive index ranges.
    private func suspendedSpans(
        _ suspensions: [SuspensionPeriod],
        after accepted: Int,
        openUntil: CivilDate?
    ) throws(CalendarError) -> [ClosedRange<Int>] {
        var spans: [ClosedRange<Int>] = []
        for period in suspensions {
            let resume: CivilDate
            if let end = period.end {
                guard end >= period.start else { throw .invalidSuspension(start: period.start, end: end) }
                resume = end
            } else {
                guard let openUntil else { throw .openSuspension(start: period.start) }
                resume = max(openUntil, period.start)
            }
            let first = max(try index(of: period.start) + 1, accepted + 1)  // S itself is not suspended
            let last = try index(of: resume)
            if first <= last { spans.append(first...last) }
        }
        spans.sort { $0.lowerBound < $1.lowerBound }
        var merged: [ClosedRange<Int>] = []
        for span in spans {
            if let previous = merged.last, span.lowerBound <= previous.upperBound + 1 {
                merged[merged.count - 1] = previous.lowerBound...max(previous.upperBound, span.upperBound)
            } else {
                merged.append(span)
            }
        }
        return merged
    }
}
