import ArgumentParser
import Foundation
import LMDB
import Ledger

/// What a store-level failure means for the person at the terminal.
enum StoreDamage {
    /// The exit status of a command stopped by a damaged store (also after a fatal signal).
    static let exitStatus = FatalDamageReport.exitStatus

    /// - Parameter lost: the log's data file itself is cut short or unreadable, so there is
    ///   nothing to repair from: only a backup helps.
    static func advice(store: String, finding: String, lost: Bool = false) -> String {
        let quoted = EscapedText(store).text
        if lost {
            return "the store at \(quoted) is damaged: \(finding); restore a backup with `ledger restore BACKUP --store \(quoted)`"
        }
        return "the store at \(quoted) is damaged: \(finding); run `ledger verify --store \(quoted)`, then `ledger repair --store \(quoted)` or restore a backup (`ledger restore`)"
    }
}

/// An error rewritten as the one line the terminal gets: control characters escaped, raw LMDB
/// and file-system errors named for what they mean.
struct ErrorLine {
    let text: String
    /// Set when the line is printed here with this status; nil: ArgumentParser prints `error`.
    let exitStatus: Int32?
    let error: any Error

    init(_ error: any Error, store: String) {
        switch error {
        case is CleanExit, is ExitCode:
            self.init(passing: error)
        case _ where String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") && !(error is ValidationError):
            // Parsing errors: ArgumentParser prints them with their usage hint.
            self.init(passing: error)
        case let error as ValidationError:
            self.init(passing: ValidationError(EscapedText(error.message).text))
        case let error as LMDBError where error.isDamage:
            self.init(damage: "\(error)", store: store, lost: error.damage != nil)
        case let error as LedgerError:
            if case .corruptRecord = error { self.init(damage: "\(error)", store: store) } else { self.init(plain: "\(error)") }
        case let error as StoreDamageError:
            self.init(damage: error.finding, store: store, lost: error.lost)
        case let error as LMDBError where error.isDiskFull:
            self.init(plain: "the disk holding \(store) is full (\(error)); free space and retry — the failed step wrote nothing")
        case let error as LMDBError where error.isReadOnlyFileSystem:
            self.init(plain: "cannot write to \(store) (\(error)); it is on a read-only file system or not yours to write")
        case let error as OutputError:
            self.init(plain: error.description)
        case let error as CustomStringConvertible where !(error is NSError):
            self.init(plain: error.description)
        case let error as NSError where FileWriteRefusal(error) != nil:
            let refusal = FileWriteRefusal(error)!
            self.init(plain: "cannot write to \(refusal.path ?? store) (\(refusal.reason)); it is on a read-only file system or not yours to write")
        default:
            // Foundation's errors describe themselves over several lines; keep the reason only.
            let ns = error as NSError
            let path = (ns.userInfo[NSFilePathErrorKey] as? String).map { " (\($0))" } ?? ""
            let underlying = (ns.userInfo[NSUnderlyingErrorKey] as? NSError).map { ": \($0.localizedDescription)" } ?? ""
            self.init(plain: "\(ns.localizedDescription)\(path)\(underlying)")
        }
    }

    private init(passing error: any Error) {
        text = ""
        exitStatus = nil
        self.error = error
    }

    /// The command line itself was wrong (an unknown option, a missing argument, a value out of range).
    var isUsageError: Bool {
        error is ValidationError || String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")
    }

    private init(plain text: String) {
        let line = EscapedText(text).text
        self.text = line
        exitStatus = nil
        error = PlainError(description: line)
    }

    private init(damage finding: String, store: String, lost: Bool = false) {
        text = StoreDamage.advice(store: store, finding: EscapedText(finding).text, lost: lost)
        exitStatus = StoreDamage.exitStatus
        error = PlainError(description: text)
    }
}

/// A store found damaged by a check of this program (not by liblmdb).
struct StoreDamageError: Error, CustomStringConvertible {
    let finding: String
    /// The log's data file is cut short or unreadable: only a backup helps.
    var lost = false
    var description: String { finding }
}

private struct PlainError: Error, CustomStringConvertible {
    let description: String
}

/// Text safe to print on one terminal line: control characters (newlines, ESC, C1 controls)
/// are written as `\n`, `\t` or `\u{1B}`, so input echoed in an error can neither break the
/// line nor drive the terminal.
struct EscapedText {
    let text: String

    init(_ raw: String) {
        var out = String.UnicodeScalarView()
        for scalar in raw.unicodeScalars {
            switch scalar.value {
            case 0x0A: out.append(contentsOf: "\\n".unicodeScalars)
            case 0x0D: out.append(contentsOf: "\\r".unicodeScalars)
            case 0x09: out.append(contentsOf: "\\t".unicodeScalars)
            case 0 ..< 0x20, 0x7F ..< 0xA0, 0x2028, 0x2029:
                out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            default: out.append(scalar)
            }
        }
        text = String(out)
    }
}
