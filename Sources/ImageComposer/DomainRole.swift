/// Which kind of Xen domain a test system runs as; printed as `role=` in its boot report.
public enum DomainRole: String, Sendable, Equatable, CaseIterable {
    case dom0
    case domu
}
