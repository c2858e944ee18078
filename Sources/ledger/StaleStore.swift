import CaseDomain
import Foundation
import Ledger

/// Calendar days the log may stay quiet before the hall's commands say the store looks old. A
/// hall records something every working day; a month covers the longest holiday (Spring Festival).
let staleStoreDays = 30

/// The one-line note for a store whose latest event (`lastEvent`) lies more than
/// `staleStoreDays` before `today`, or nil. The commands that count days to today without
/// `--as-of` (`case`, `due`, `overdue`, `bad-reviews`) print it on stderr.
func staleStoreNote(lastEvent: CivilDate, today: CivilDate) -> String? {
    let quiet = lastEvent.days(to: today)
    guard quiet > staleStoreDays else { return nil }
    return "note: the log's latest event is on \(lastEvent), \(quiet) days before \(today): days are counted to \(today); "
        + "pass --as-of \(lastEvent) to see the hall as it stood then"
}

/// The date of the store's latest event (nil for an empty store).
func latestEventDay(_ store: EventStore) -> CivilDate? {
    guard let head = try? store.digest().seq, head > 0, let last = try? store.events(from: head, limit: 1).first?.at else { return nil }
    return CivilDate(instantMilliseconds: last.milliseconds)
}

/// What a command counting working days to `today` owes the reader about the log's latest event,
/// read once: a `--today` before it (`todayGiven`) does not turn `things` back to that day, and a
/// store long quiet before `today` is probably an old one (`staleNote`: say so). Notes go to stderr.
func noteOnLatestEvent(_ today: CivilDate, todayGiven: Bool, things: String, store: EventStore, staleNote: Bool = true) {
    guard todayGiven || staleNote, let last = latestEventDay(store) else { return }
    var notes: [String] = []
    if todayGiven, last > today {
        notes.append("note: the \(things) are as the log stands now (last event \(last)); --today only sets the day "
            + "counted to. For the hall as it was on \(today), pass --as-of \(today) instead.")
    }
    if staleNote, let note = staleStoreNote(lastEvent: last, today: today) { notes.append(note) }
    for note in notes { FileHandle.standardError.write(Data((note + "\n").utf8)) }
}
