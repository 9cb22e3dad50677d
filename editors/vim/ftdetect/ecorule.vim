" ecorule rule files: *.rule
autocmd BufNewFile,BufRead *.rule setfiletype ecorule
