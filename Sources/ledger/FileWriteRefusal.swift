import Foundation

/// A Foundation file error that means the file system refused a write: this user may not write
/// there, or it is mounted read-only. Foundation's own text ("You don’t have permission.") names
/// neither the cause the operator looks up nor the fix, so these get the line LMDB's get.
struct FileWriteRefusal {
    /// The file or folder refused, when Foundation says.
    let path: String?
    /// `Permission denied`, `Operation not permitted` or `Read-only file system`.
    let reason: String

    init?(_ error: NSError) {
        let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError
        let posix: Int32? = if error.domain == NSPOSIXErrorDomain {
            Int32(error.code)
        } else if let underlying, underlying.domain == NSPOSIXErrorDomain {
            Int32(underlying.code)
        } else {
            switch (error.domain, error.code) {
            case (NSCocoaErrorDomain, NSFileWriteNoPermissionError): EACCES
            case (NSCocoaErrorDomain, NSFileWriteVolumeReadOnlyError): EROFS
            default: nil
            }
        }
        guard let posix, [EACCES, EPERM, EROFS].contains(posix) else { return nil }
        path = error.userInfo[NSFilePathErrorKey] as? String
        reason = String(cString: strerror(posix))
    }
}
