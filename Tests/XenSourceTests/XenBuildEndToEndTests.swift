import Foundation
import TestSupport
import XCTest
import XenArm
@testable import XenSource

/// Fetches Debian's Xen source and cross-builds it. Skipped when the source or the cross toolchains cannot be had
/// here (fails instead when the CI environment variable is set). Prints `TIMING:` lines.
final class XenBuildEndToEndTests: XCTestCase {
    nonisolated(unsafe) static var source: XenSourceTree?

    func timed<T>(_ label: String, _ body: () throws -> T) rethrows -> T {
        let start = Date()
        let r = try body()
        print("TIMING: \(label): \(String(format: "%.2f", Date().timeIntervalSince(start))) s")
        return r
    }

    func obtainSource() throws -> XenSourceTree {
        if let s = Self.source { return s }
        let s = try prerequisite("Debian's xen source package") {
            try timed("source fetch+unpack (0 s when cached)") { try XenSourceTree.obtain(progress: { print("  \($0)") }) }
        }
        XCTAssertTrue(s.debianVersion.hasPrefix("4.17."), s.debianVersion)
        XCTAssertTrue(s.xenVersion.hasPrefix("4.17."), s.xenVersion)
        Self.source = s
        return s
    }

    func workTree(_ arch: Architecture, _ name: String) throws -> URL {
        try prerequisite("cross toolchain for \(arch.rawValue)") { try XenBuild.checkTools(arch) }
        let source = try obtainSource()
        return try timed("tree copy (\(name))") { try source.workTree(name: name) }
    }

    func testArm64BuildWithFragment() throws {
        let tree = try workTree(.arm64, "test-arm64")
        let fragment = try ConfigFragment(parsing: "CONFIG_EXPERT=y\nCONFIG_EARLY_UART_CHOICE_PL011=y\nCONFIG_EARLY_UART_BASE_ADDRESS=0x09000000\n")
        var lines: [String] = []
        let result = try timed("full arm64 build (configure + make)") {
            try XenBuild.build(tree: tree, arch: .arm64, fragment: fragment) { lines.append($0); print("  \($0)") }
        }
        XCTAssertEqual(result.image.path, tree.appendingPathComponent("xen/xen").path)
        let image = [UInt8](try Data(contentsOf: result.image))
        XCTAssertGreaterThan(image.count, 0x40)
        XCTAssertEqual(Array(image[0x38..<0x3c]), Array("ARM\u{64}".utf8))
        let config = try String(contentsOf: result.config, encoding: .utf8).split(separator: "\n").map(String.init)
        for line in ["CONFIG_EXPERT=y", "CONFIG_EARLY_UART_CHOICE_PL011=y", "CONFIG_EARLY_UART_BASE_ADDRESS=0x09000000", "CONFIG_ARM_64=y"] {
            XCTAssertTrue(config.contains(line), line)
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: result.log.path))
        XCTAssertEqual(result.log.deletingLastPathComponent().path, tree.deletingLastPathComponent().path)
        XCTAssertGreaterThan(result.objects, 100)
        XCTAssertTrue(lines.contains { $0.hasPrefix("configuring") } && lines.contains { $0.hasPrefix("compiling") }, "\(lines)")
        // The pristine tree is untouched.
        let source = try obtainSource()
        XCTAssertFalse(FileManager.default.fileExists(atPath: source.pristine.appendingPathComponent("xen/.config").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: source.pristine.appendingPathComponent("xen/xen").path))
    }

    func testArm32Build() throws {
        let tree = try workTree(.arm32, "test-arm32")
        let result = try timed("full arm32 build (configure + make)") {
            try XenBuild.build(tree: tree, arch: .arm32) { print("  \($0)") }
        }
        let image = [UInt8](try Data(contentsOf: result.image))
        XCTAssertEqual(Array(image[0x24..<0x28]), [0x18, 0x28, 0x6f, 0x01])
        XCTAssertTrue(try String(contentsOf: result.config, encoding: .utf8).contains("CONFIG_ARM_32=y"))
    }

    func testArm32CompileCheckOfExistingPlatformFile() throws {
        let tree = try workTree(.arm32, "test-arm32-check")
        let result = try timed("arm32 single-object compile check (configure + prepare + vexpress.o)") {
            try XenBuild.compileCheck(tree: tree, arch: .arm32, objects: ["arch/arm/platforms/vexpress.o"]) { print("  \($0)") }
        }
        XCTAssertEqual(result.objects.map(\.lastPathComponent), ["vexpress.o"])
        let obj = [UInt8](try Data(contentsOf: result.objects[0]))
        XCTAssertEqual(Array(obj.prefix(5)), [0x7f, 0x45, 0x4c, 0x46, 1]) // ELF32
        XCTAssertEqual(obj.count > 0x13 ? UInt16(obj[0x12]) | UInt16(obj[0x13]) << 8 : 0, 40) // EM_ARM
        XCTAssertFalse(FileManager.default.fileExists(atPath: tree.appendingPathComponent("xen/xen").path))
    }

    /// A generated platform file that does not compile: the error quotes the compiler and the generated line.
    func testCompileCheckOfBrokenGeneratedFileShowsTheLine() throws {
        let tree = try workTree(.arm64, "test-arm64-broken")
        let file = GeneratedFile(path: "xen/arch/arm/platforms/xb-gen.c", text: """
        #include <asm/platform.h>
        static const char * const gen_dt_compat[] __initconst = { "vendor,board", NULL };
        PLATFORM_START(gen, "Generated")
            .compatible = gen_dt_compat,
            .dma_bitsize = undeclared_symbol,
        PLATFORM_END

        """)
        XCTAssertThrowsError(try XenBuild.compileCheck(tree: tree, arch: .arm64, files: [file])) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("xb-gen.c:5"), text)
            XCTAssertTrue(text.contains("undeclared_symbol"), text)
            XCTAssertTrue(text.contains("5 |     .dma_bitsize = undeclared_symbol,"), text)
            XCTAssertTrue(text.contains("compile-check-arm64.log"), text)
        }
        // Fixed, it compiles (the default objects are the generated .c files).
        let fixed = GeneratedFile(path: file.path, text: String(decoding: file.contents, as: UTF8.self).replacingOccurrences(of: "undeclared_symbol", with: "32"))
        let result = try XenBuild.compileCheck(tree: tree, arch: .arm64, files: [fixed])
        XCTAssertEqual(result.objects.map(\.lastPathComponent), ["xb-gen.o"])
    }

    /// olddefconfig drops the early UART choice without EXPERT/DEBUG: the error names the symbol and its Kconfig entry.
    func testDroppedFragmentLineIsAnErrorNamingTheSymbol() throws {
        let tree = try workTree(.arm64, "test-arm64-dropped")
        let fragment = try ConfigFragment(parsing: "CONFIG_EARLY_UART_CHOICE_PL011=y\nCONFIG_NO_SUCH_SYMBOL=y\n")
        let log = tree.deletingLastPathComponent().appendingPathComponent("configure.log")
        XCTAssertThrowsError(try XenBuild.configure(tree: tree, arch: .arm64, files: [], fragment: fragment, log: log, progress: { _ in })) { error in
            guard case let .configDropped(dropped, _)? = error as? XenSourceError else { return XCTFail("\(error)") }
            XCTAssertEqual(dropped.map(\.symbol), ["EARLY_UART_CHOICE_PL011", "NO_SUCH_SYMBOL"])
            let text = "\(error)"
            XCTAssertTrue(text.contains("xen/arch/arm/Kconfig.debug:99 (depends on DEBUG || EXPERT)"), text)
            XCTAssertTrue(text.contains("no Kconfig entry defines NO_SUCH_SYMBOL"), text)
            print("  dropped-line error:\n\(text)")
        }
    }
}
