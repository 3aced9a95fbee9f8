/// A malformed blob. Every case carries the byte offset (from the start of the blob) where the problem was found.
public struct DTBError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        case truncated
        case badMagic
        case badVersion
        case badLayout          // a block outside the blob, overlapping another, or misaligned
        case unterminatedName   // node name or property name without NUL inside its block
        case badNameOffset      // property nameoff outside the strings block
        case badToken
        case badStructure       // tokens in an impossible order (END_NODE without BEGIN_NODE, two roots, ...)
        case tooDeep
        case badEncoding        // a name that is not UTF-8
        case libfdt             // our decoder accepted it but libfdt's fdt_check_full did not
    }

    public let kind: Kind
    public let offset: Int
    public let detail: String

    public init(_ kind: Kind, at offset: Int, _ detail: String) {
        self.kind = kind
        self.offset = offset
        self.detail = detail
    }

    public var description: String {
        "offset 0x\(String(offset, radix: 16)) (\(offset)): \(detail)"
    }
}

/// A device tree whose *content* does not fit what a view expected, e.g. a `reg` of the wrong length.
public struct DeviceTreeError: Error, Equatable, CustomStringConvertible, Sendable {
    public let path: String
    public let property: String?
    public let detail: String

    public init(node path: String, property: String? = nil, _ detail: String) {
        self.path = path
        self.property = property
        self.detail = detail
    }

    public init(_ node: Node, property: String? = nil, _ detail: String) {
        self.init(node: node.path, property: property, detail)
    }

    public var description: String {
        if let property { return "\(path): property '\(property)': \(detail)" }
        return "\(path): \(detail)"
    }
}
