/// A property value: an immutable byte sequence indexed from 0.
///
/// Decoded values are views into the blob they came from (one shared buffer per tree, no copy per property);
/// values set by edits own their bytes. Either way it behaves like `[UInt8]`.
public struct Bytes: RandomAccessCollection, Hashable, Sendable, ExpressibleByArrayLiteral, CustomStringConvertible {
    private let storage: ArraySlice<UInt8>

    public init(_ bytes: [UInt8]) { storage = bytes[...] }
    public init(_ slice: ArraySlice<UInt8>) { storage = slice }
    public init<S: Sequence>(_ bytes: S) where S.Element == UInt8 { storage = ArraySlice(bytes) }
    public init(arrayLiteral elements: UInt8...) { storage = elements[...] }

    public var startIndex: Int { 0 }
    public var endIndex: Int { storage.count }
    public var count: Int { storage.count }
    public var isEmpty: Bool { storage.isEmpty }

    @inline(__always)
    public subscript(position: Int) -> UInt8 { storage[storage.startIndex + position] }

    public subscript(bounds: Range<Int>) -> Bytes {
        Bytes(storage[(storage.startIndex + bounds.lowerBound)..<(storage.startIndex + bounds.upperBound)])
    }

    public func withContiguousStorageIfAvailable<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R? {
        try storage.withUnsafeBufferPointer(body)
    }

    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer(body)
    }

    public var array: [UInt8] { Array(storage) }

    public static func == (a: Bytes, b: Bytes) -> Bool { a.storage.elementsEqual(b.storage) }
    public static func == (a: Bytes, b: [UInt8]) -> Bool { a.storage.elementsEqual(b) }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage.count)
        for b in storage { hasher.combine(b) }
    }

    public var description: String { "\(Array(storage))" }
}
