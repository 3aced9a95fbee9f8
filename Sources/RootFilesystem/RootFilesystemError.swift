/// Why a root filesystem could not be assembled or used. Every case names the file, package or module.
public struct RootFilesystemError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
