extension KernelImage {
    /// Throws unless this is a bootable, little-endian, uncompressed kernel image for `arch`: an arm64 Image
    /// (arm64), a zImage (arm32), or a U-Boot kernel uImage for that architecture.
    /// - Parameters:
    ///   - role: what the image is for, as the message should say it ("kernel", "Xen", "Dom0 kernel").
    ///   - file: the path to name (default: the file it was detected from).
    ///   - board: the board whose architecture `arch` is, named in the message.
    public func requireArch(_ arch: ImageArch, role: String, file: String? = nil, board: String? = nil)
        throws(ImageError)
    {
        let name = file ?? self.file
        if let found = self.arch, found != arch {
            throw .wrongArchitecture(role: role, file: name, found: summary, expected: arch, board: board)
        }
        switch kind {
        case let .arm64Image(h):
            if h.isBigEndian { throw .bigEndian(role: role, file: name, found: summary) }
        case let .zImage(h):
            if h.isBigEndian { throw .bigEndian(role: role, file: name, found: summary) }
        case let .uImage(h):
            if h.imageArch == nil {
                throw .wrongArchitecture(role: role, file: name, found: summary, expected: arch, board: board)
            }
            if !h.isKernel {
                throw .notAKernel(role: role, file: name, found: summary,
                                  hint: "expected a uImage of type kernel (mkimage -T kernel)")
            }
        case .gzip:
            throw .compressed(role: role, file: name, format: "gzip")
        case .flattenedDeviceTree:
            throw .notAKernel(role: role, file: name, found: summary,
                              hint: "give the kernel image here and the device tree separately")
        case .elf:
            throw .notAKernel(role: role, file: name, found: summary,
                              hint: "boot loaders need the raw image (arm64 Image / arm32 zImage, e.g. "
                                  + "arch/arm64/boot/Image or `objcopy -O binary`), not vmlinux or xen-syms")
        case .unknown:
            throw .notAKernel(role: role, file: name, found: summary,
                              hint: "expected an arm64 Image, an arm32 zImage or a U-Boot kernel uImage")
        }
    }
}
