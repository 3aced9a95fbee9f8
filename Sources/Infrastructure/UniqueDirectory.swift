import Foundation

/// `mkdtemp(3)`: a new, empty directory `parent/<prefix>XXXXXX` (mode 0700) that no other process can have made,
/// the scratch space the package cache and the Xen source cache fill before renaming it into place.
public enum UniqueDirectory {
    /// The directory made, or the errno text of why it could not be (parent created first).
    public static func make(in parent: URL, prefix: String) -> Result<URL, Failure> {
        do {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            return .failure(Failure(path: parent.path, detail: error.localizedDescription))
        }
        var template = Array((parent.path + "/" + prefix + "XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            return mkdtemp(base) != nil
        }
        guard made else { return .failure(Failure(path: parent.path, detail: String(cString: strerror(errno)))) }
        let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return .success(URL(fileURLWithPath: path, isDirectory: true))
    }

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let path: String
        public let detail: String
        public var description: String { "cannot create a temporary directory in \(path): \(detail)" }
    }
}
