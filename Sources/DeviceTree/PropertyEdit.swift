/// `dt set`'s edit (like fdtput): one property on one node, refused when the result would fail dtc's checks.
public enum PropertyEdit {
    public enum Failure: Error, CustomStringConvertible, Sendable {
        /// No node at the path, and it was not to be created.
        case noNode(String)
        /// The property name is one dtc rejects.
        case badName(node: String, String)
        /// The edited tree breaks a dtc check (so it is not to be written).
        case breaksTree(TreeProblem)

        public var description: String {
            switch self {
            case .noNode(let path): return "no node '\(path)'"
            case .badName(let node, let why): return "\(node): \(why)"
            case .breaksTree(let problem): return "\(problem)"
            }
        }
    }

    /// Sets `name` = `value` on the node at `path` (a path or alias); with `create`, an absolute path that does not
    /// exist is created with its missing parents. Returns the edited node.
    @discardableResult
    public static func set(_ name: String, _ value: PropertyValue, at path: String, create: Bool, in tree: DeviceTree) throws -> Node {
        let target: Node
        if let n = tree.node(at: path) {
            target = n
        } else if create, path.hasPrefix("/") {
            target = try tree.createNode(at: path)
        } else {
            throw Failure.noNode(path)
        }
        if let why = TreeChecks.propertyNameProblem(name) { throw Failure.badName(node: target.path, why) }
        target.setProperty(name, value)
        if let problem = tree.structuralProblems().first { throw Failure.breaksTree(problem) }
        return target
    }
}
