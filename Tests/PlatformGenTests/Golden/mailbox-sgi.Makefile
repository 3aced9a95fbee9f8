obj-$(CONFIG_XB_MBOX_SGI) += xb-mbox-sgi.o
