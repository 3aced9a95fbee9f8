/// An optional that is always present in JSON: `null` when nil. The report's contract has keys like
/// `xenPlatform|null`, which synthesized `Encodable` would drop instead.
@propertyWrapper
public struct Null<Value: Encodable>: Encodable {
    public var wrappedValue: Value?

    public init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        if let v = wrappedValue { try c.encode(v) } else { try c.encodeNil() }
    }
}
