"""A trained network taken out of the playground: as Python source (NumPy or PyTorch) and its history.

Each exporter turns an experiment into the text of one file, so the server only has to send it. The
drawing exports (SVG, PNG) are in `app.drawing`, since rasterising needs more than NumPy.
"""
