"""The Qt-free facade shared by the window and the command line."""
