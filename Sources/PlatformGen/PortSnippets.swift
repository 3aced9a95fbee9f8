/// `gen` writes its Kconfig choice entry and Makefile line as snippet files beside Xen's
/// (`Kconfig.xen-board`, `Makefile.xen-board`), so a user can read and apply them by hand. Applying a generated
/// tree to Xen's source replaces each snippet by the edited Xen file it belongs in.
public enum PortSnippets {
    /// (snippet written by `gen`, Xen file it is applied to).
    public static let targets = [(GeneratedPort.kconfigSnippetPath, GeneratedPort.kconfigPath),
                                 (GeneratedPort.makefileSnippetPath, GeneratedPort.makefilePath)]

    /// `files` with every snippet removed and the Xen file it edits added (edited from `read(path)`, the file in the
    /// Xen tree). Files without snippets pass through unchanged.
    public static func apply(to files: [(path: String, text: String)], read: (String) throws -> String) throws -> [(path: String, text: String)] {
        var out = files
        for (snippet, target) in targets {
            guard let s = out.first(where: { $0.path == snippet }) else { continue }
            out.removeAll { $0.path == snippet }
            let original = try read(target)
            let edited = target == GeneratedPort.kconfigPath
                ? try BuildGlue.insertChoiceEntry(s.text, into: original) : BuildGlue.appendMakefileLine(s.text, to: original)
            out.append((target, edited))
        }
        return out
    }
}
