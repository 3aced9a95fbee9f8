/// What a toolstack Dom0 needs to start its `[[guest]]`s: the archive with each guest's configuration and the files
/// it names (appended after the root filesystem, as ImageBuilder's disk image carries its guests' files), and the
/// part of Dom0's `/init` that creates them and relays their consoles.
public enum XLGuests {
    /// The archive: `etc/xen/NAME.cfg` for each guest and every file of `files` (paths relative to the root, each
    /// once), with the directories above them.
    public static func archive(_ guests: [XLGuest], files: [(path: String, bytes: [UInt8])],
                               epoch: SourceDateEpoch = .zero) throws(InitramfsError) -> CPIOArchive {
        var a = CPIOArchive(epoch: epoch)
        var directories = Set<String>()
        func add(_ path: String, _ bytes: [UInt8]) throws(CPIOError) {
            var parent = ""
            for component in path.split(separator: "/").dropLast() {
                parent += (parent.isEmpty ? "" : "/") + component
                if directories.insert(parent).inserted { try a.addDirectory(parent) }
            }
            try a.addFile(path, contents: bytes)
        }
        do {
            for g in guests { try add(String(g.configPath.dropFirst()), Array(g.config.utf8)) }
            for f in files { try add(f.path, f.bytes) }
        } catch {
            throw .archive(error)
        }
        return a
    }

    /// The script: `xl create` each guest; then, for each one created, wait until its console log holds the end of
    /// its report (or the guest is gone, or `waitSeconds` passed) and print the log with `XLGuestConsole.prefix`.
    /// Empty without guests.
    public static func script(_ guests: [XLGuest], xl: String, waitSeconds: Int = 600) -> String {
        guard !guests.isEmpty else { return "" }
        let names = guests.map(\.name).joined(separator: " ")
        return """

        # [[guest]]s: `xl create` each; xenconsoled logs each console (hvc0) to \(XLGuest.consoleLogDirectory)/guest-NAME.log,
        # relayed here once the guest's report has ended, each line prefixed "\(XLGuestConsole.prefix("NAME"))".
        started=
        for g in \(names); do
          if \(xl) create "/etc/xen/$g.cfg"; then started="$started $g"; else echo "xen-board: xl create $g failed"; fi
        done
        for g in $started; do
          log="\(XLGuest.consoleLogDirectory)/guest-$g.log"; n=0
          while [ $n -lt \(waitSeconds * 2) ] && ! grep -q \(BootReport.endMarker) "$log" 2>/dev/null; do
            \(xl) domid "$g" >/dev/null 2>&1 || { echo "xen-board: guest $g is gone"; break; }
            usleep 500000; n=$((n + 1))
          done
          [ -r "$log" ] && tr -d '\\r' < "$log" | sed "s/^/\(XLGuestConsole.prefix("$g"))/"
        done

        """
    }
}
