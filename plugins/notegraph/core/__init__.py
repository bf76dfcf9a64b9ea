"""The core: from a folder of notes to every page's Markdown and the graph's data, in stages
(vault → links → checks → site map → graph → pages). It imports no MkDocs and no theme."""
