import BoardModel
import Passthrough

extension HostFacts {
    /// The host facts passthrough needs, taken from the board model (console UART, primary GIC, IOMMUs).
    public init(_ model: BoardModel) {
        self.init(consoleUART: model.console.path, gic: model.gic.path,
                  iommus: model.iommus.map { IOMMU(path: $0.path, drivenByXen: $0.drivenByXen) })
    }
}
